import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import type { GraphService } from './graph-model';

/** How a node stands out: part of the highlighted cascade, dimmed beside one, or plain. */
export type NodeEmphasis = 'focus' | 'dim' | 'plain';

export type ServiceNodeData = { service: GraphService; emphasis: NodeEmphasis };
export type ServiceFlowNode = Node<ServiceNodeData, 'service'>;

/** A service in the graph: coloured by health, with its name, health and circuit state. */
export function ServiceNode({ data }: NodeProps<ServiceFlowNode>) {
  const { service, emphasis } = data;
  const state =
    service.phase === undefined ? service.health : `${service.health} · ${service.phase}`;
  const why =
    service.degradedBy.length === 0 ? '' : ` (degraded by ${service.degradedBy.join(', ')})`;
  return (
    <div
      className={`bw-graph-node bw-graph-node--${service.health} bw-graph-node--${emphasis}`}
      data-service={service.name}
      data-health={service.health}
      data-emphasis={emphasis}
      title={`${service.name}: ${state}${why}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span className="bw-graph-node-name">{service.name}</span>
      <span className="bw-graph-node-state">{state}</span>
      {service.layer === null ? null : <span className="bw-graph-node-layer">{service.layer}</span>}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}
