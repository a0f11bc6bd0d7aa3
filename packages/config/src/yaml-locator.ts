import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { Locate, Position, Segment } from './issues';

/**
 * Finds where a path sits in a parsed document: the position of the last
 * key (or list item) of the path that exists, so a missing key points at the
 * mapping that lacks it.
 */
export function yamlLocator(document: Document, lines: LineCounter): Locate {
  return (segments: readonly Segment[]): Position | undefined => {
    let node: unknown = document.contents;
    let found: Node | undefined = isNode(node) ? node : undefined;
    for (const segment of segments) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair === undefined) break;
        if (isNode(pair.key)) found = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (!isNode(item)) break;
        found = item;
        node = item;
      } else break;
    }
    const offset = found?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}
