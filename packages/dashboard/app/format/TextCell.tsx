import type { ReactNode } from 'react';

/**
 * A table cell whose text ends with a space: the row's text content (what
 * text search, copying without layout and tests read) keeps the cells'
 * words apart, `ada search reset`, not `adasearchreset`.
 */
export function TextCell({
  className,
  children,
}: {
  readonly className?: string;
  readonly children: ReactNode;
}) {
  return <td className={className}>{children} </td>;
}
