import dagre from '@dagrejs/dagre';

/** The size every service node is drawn at, px. */
export const nodeSize = Object.freeze({ width: 190, height: 64 });

/** A node's top-left corner, px (what @xyflow/react positions nodes by). */
export interface NodePosition {
  readonly x: number;
  readonly y: number;
}

/** An edge from a dependent to one of its dependencies. */
export interface LayoutEdge {
  readonly dependent: string;
  readonly dependency: string;
}

/**
 * Positions for a dependency graph, top to bottom: every dependent above its
 * dependencies, so a failure's effects climb the picture. Laid out by dagre
 * (layered, few crossings); nodes never overlap. An edge naming a service
 * not in `ids` is ignored (dagre would invent a node for it). Services
 * without dependencies or dependents sit in the top row.
 */
export function layoutGraph(
  ids: readonly string[],
  edges: readonly LayoutEdge[],
  size: { readonly width: number; readonly height: number } = nodeSize,
): Map<string, NodePosition> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 36, ranksep: 72, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  const known = new Set(ids);
  for (const id of known) graph.setNode(id, { width: size.width, height: size.height });
  for (const { dependent, dependency } of edges) {
    if (known.has(dependent) && known.has(dependency) && dependent !== dependency)
      graph.setEdge(dependent, dependency);
  }
  dagre.layout(graph);
  const positions = new Map<string, NodePosition>();
  for (const id of known) {
    const { x = 0, y = 0 } = graph.node(id);
    // dagre gives centres.
    positions.set(id, { x: x - size.width / 2, y: y - size.height / 2 });
  }
  return positions;
}
