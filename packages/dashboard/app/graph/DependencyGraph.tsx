import type { ServiceSnapshot } from '@breakwater/protocol';
import {
  Background,
  Controls,
  type Edge,
  MarkerType,
  type NodeTypes,
  ReactFlow,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { type KeyboardEvent, type SVGAttributes, useEffect, useMemo, useState } from 'react';
import '@xyflow/react/dist/style.css';
import { cascadeAround, type DependencyEdge, dependencyEdges, type Highlight } from './cascade';
import { type GraphService, graphServices } from './graph-model';
import { layoutGraph, nodeSize } from './layout';
import { type NodeEmphasis, type ServiceFlowNode, ServiceNode } from './ServiceNode';
import { useTopology } from './use-topology';
import './dependency-graph.css';

export interface DependencyGraphProps {
  /** The live services from the stream. */
  services: readonly ServiceSnapshot[];
  /** An authenticated GET on the monitor; throws an Error with the server's message. */
  fetchJson: <T>(path: string) => Promise<T>;
  /** Called with a service's name when its node is clicked (or Enter is pressed on it). */
  onSelect: (name: string) => void;
}

const nodeTypes: NodeTypes = { service: ServiceNode };
const fitOptions = { padding: 0.15, maxZoom: 1.2 };

/**
 * The services and their dependencies, top to bottom (dependents above what
 * they depend on), coloured by health. An edge along which a dependency
 * degrades its dependent is animated in the dependency's colour; hovering
 * or selecting a service lights up whom it degrades, transitively, and what
 * degrades it.
 */
export function DependencyGraph({ services, fetchJson, onSelect }: DependencyGraphProps) {
  const topology = useTopology(
    services.map((service) => service.service),
    fetchJson,
  );
  const model = useMemo(
    () => graphServices(topology.entries, services),
    [topology.entries, services],
  );
  const edges = useMemo(() => dependencyEdges(model), [model]);
  // The layout moves only when services or dependencies change, not with health.
  const structure = useMemo(() => structureKey(model, edges), [model, edges]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `structure` stands for the names and edges laid out
  const positions = useMemo(
    () =>
      layoutGraph(
        model.map((service) => service.name),
        edges,
      ),
    [structure],
  );

  const [hovered, setHovered] = useState<string | undefined>();
  const [pinned, setPinned] = useState<string | undefined>();
  // The hovered service's cascade, else the selected one's: hovering a service
  // that is part of no cascade leaves the selected cascade lit.
  const lit = useMemo(
    () => cascadeOf(model, hovered) ?? cascadeOf(model, pinned),
    [model, hovered, pinned],
  );

  const flowNodes = useMemo(
    () =>
      model.map(
        (service): ServiceFlowNode => ({
          id: service.name,
          type: 'service',
          position: positions.get(service.name) ?? { x: 0, y: 0 },
          width: nodeSize.width,
          height: nodeSize.height,
          data: { service, emphasis: emphasisOf(service.name, lit) },
          draggable: false,
          connectable: false,
        }),
      ),
    [model, positions, lit],
  );
  const flowEdges = useMemo(() => edges.map((edge) => flowEdge(edge, lit)), [edges, lit]);

  const selectWithKeyboard = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Enter') return;
    const node = (event.target as HTMLElement).closest('.react-flow__node');
    const id = node?.getAttribute('data-id');
    if (id) onSelect(id);
  };

  return (
    <section className="bw-graph" aria-label="Dependency graph">
      {topology.error === undefined ? null : (
        <p className="bw-graph-error" role="alert">
          {topology.error}
        </p>
      )}
      {topology.loading && model.length === 0 ? (
        <p className="bw-graph-loading" aria-busy="true">
          Loading dependencies…
        </p>
      ) : model.length === 0 ? (
        <p className="bw-graph-empty">No services yet.</p>
      ) : (
        // biome-ignore lint/a11y/noStaticElementInteractions: catches Enter from the focusable nodes inside
        <div className="bw-graph-canvas" onKeyDown={selectWithKeyboard}>
          <ReactFlow<ServiceFlowNode, Edge>
            key={structure}
            nodes={flowNodes}
            edges={flowEdges}
            nodeTypes={nodeTypes}
            fitView
            fitViewOptions={fitOptions}
            minZoom={0.2}
            nodesDraggable={false}
            nodesConnectable={false}
            edgesFocusable={false}
            zoomOnScroll={false}
            preventScrolling={false}
            onNodeClick={(_event, node) => {
              setPinned(node.id);
              onSelect(node.id);
            }}
            onNodeMouseEnter={(_event, node) => setHovered(node.id)}
            onNodeMouseLeave={() => setHovered(undefined)}
            onPaneClick={() => setPinned(undefined)}
          >
            <Background gap={24} size={1} />
            <Controls showInteractive={false} />
            <FitOnResize />
          </ReactFlow>
        </div>
      )}
      <GraphLegend />
    </section>
  );
}

/** Fits the graph again when its box changes size (the detail panel opens beside it, the window is resized). */
function FitOnResize() {
  const { fitView } = useReactFlow();
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);
  useEffect(() => {
    if (width > 0 && height > 0) void fitView(fitOptions);
  }, [width, height, fitView]);
  return null;
}

/** What lights up around `name`; undefined when it is part of no cascade (nothing to show but itself). */
function cascadeOf(
  model: readonly GraphService[],
  name: string | undefined,
): Highlight | undefined {
  if (name === undefined) return undefined;
  const highlight = cascadeAround(model, name);
  return highlight.services.size > 1 ? highlight : undefined;
}

function emphasisOf(name: string, lit: Highlight | undefined): NodeEmphasis {
  if (lit === undefined) return 'plain';
  return lit.services.has(name) ? 'focus' : 'dim';
}

const cascadeColors = {
  failed: 'var(--bw-graph-failed)',
  degraded: 'var(--bw-graph-degraded)',
} as const;

function flowEdge(edge: DependencyEdge, lit: Highlight | undefined): Edge {
  const inFocus = lit?.edges.has(edge.id) ?? false;
  const color = edge.cascade === undefined ? 'var(--bw-graph-edge)' : cascadeColors[edge.cascade];
  const classes = ['bw-graph-edge'];
  if (edge.cascade !== undefined)
    classes.push('bw-graph-edge--cascade', `bw-graph-edge--${edge.cascade}`);
  if (inFocus) classes.push('bw-graph-edge--focus');
  else if (lit !== undefined) classes.push('bw-graph-edge--dim');
  return {
    id: edge.id,
    source: edge.dependent,
    target: edge.dependency,
    animated: edge.cascade !== undefined || inFocus,
    className: classes.join(' '),
    style: { stroke: color, strokeWidth: edge.cascade !== undefined || inFocus ? 2.5 : 1.25 },
    markerEnd: { type: MarkerType.ArrowClosed, color, width: 16, height: 16 },
    focusable: false,
    // Hooks for tests and tools, as the cards have: what the edge shows, not how.
    domAttributes: {
      'data-dependent': edge.dependent,
      'data-dependency': edge.dependency,
      'data-cascade': edge.cascade ?? 'none',
      'data-highlight': inFocus ? 'focus' : lit === undefined ? 'none' : 'dim',
    } as SVGAttributes<SVGGElement>,
  };
}

function structureKey(model: readonly GraphService[], edges: readonly DependencyEdge[]): string {
  const names = model.map((service) => service.name).sort();
  const links = edges.map((edge) => edge.id).sort();
  return `${names.join(',')}|${links.join(',')}`;
}

function GraphLegend() {
  return (
    <ul className="bw-graph-legend">
      <li>
        <span className="bw-graph-swatch bw-graph-swatch--healthy" /> healthy
      </li>
      <li>
        <span className="bw-graph-swatch bw-graph-swatch--degraded" /> degraded
      </li>
      <li>
        <span className="bw-graph-swatch bw-graph-swatch--failed" /> failed
      </li>
      <li>
        <span className="bw-graph-swatch bw-graph-swatch--unknown" /> unknown
      </li>
      <li>
        Arrows point to what a service depends on; a moving line carries trouble up from a
        dependency to the service it degrades.
      </li>
      <li>Hover or select a service to light up what it degrades and what degrades it.</li>
    </ul>
  );
}
