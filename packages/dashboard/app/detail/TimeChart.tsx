import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type ChartColumns, sparseMarks } from './chart-data';

/** One plotted line. */
export interface ChartLine {
  readonly label: string;
  /** A CSS colour the canvas understands. */
  readonly color: string;
  readonly fill?: boolean;
  readonly dashed?: boolean;
  /** Join the points across nulls: for a measure taken only now and then (sampled latency). */
  readonly joinGaps?: boolean;
}

export interface TimeChartProps {
  readonly title: string;
  /** Module constants: changing them rebuilds the chart. */
  readonly lines: readonly ChartLine[];
  /** A y value as people read it (`42 /s`, `3.5%`, `120 ms`). */
  readonly format: (value: number) => string;
  /** A fixed y range; from 0 to the data's maximum otherwise. */
  readonly yMax?: number;
  readonly data: ChartColumns;
  /** Stretches to shade, [start, end] in epoch ms (when the circuit rejected calls). */
  readonly shaded: ReadonlyArray<readonly [number, number]>;
}

const plotHeight = 150;
const shadeColor = 'rgba(214, 69, 69, 0.12)';
const gridColor = 'rgba(128, 128, 128, 0.18)';

/**
 * A uPlot time chart that fills its container's width: built once, given new
 * data with `setData`, resized with the container, destroyed on unmount.
 */
export function TimeChart({ title, lines, format, yMax, data, shaded }: TimeChartProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | undefined>(undefined);
  const dataRef = useRef(data);
  dataRef.current = data;
  const shadedRef = useRef(shaded);
  shadedRef.current = shaded;

  useEffect(() => {
    const box = boxRef.current;
    if (box === null) return;
    const plot = new uPlot(
      chartOptions(box, lines, format, yMax, () => shadedRef.current),
      dataRef.current as uPlot.AlignedData,
      box,
    );
    plotRef.current = plot;
    const observer = new ResizeObserver(() => {
      if (box.clientWidth > 0) plot.setSize({ width: box.clientWidth, height: plotHeight });
    });
    observer.observe(box);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = undefined;
    };
  }, [lines, format, yMax]);

  useEffect(() => {
    plotRef.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return (
    <figure className="bw-detail-chart">
      <figcaption className="bw-detail-chart-title">{title}</figcaption>
      <div className="bw-detail-chart-plot" ref={boxRef} />
    </figure>
  );
}

function chartOptions(
  box: HTMLElement,
  lines: readonly ChartLine[],
  format: (value: number) => string,
  yMax: number | undefined,
  shaded: () => ReadonlyArray<readonly [number, number]>,
): uPlot.Options {
  // The canvas cannot read CSS variables: the axes take the text colour the page gives the box.
  const ink = getComputedStyle(box).color || '#555';
  const axis = { stroke: ink, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } };
  return {
    width: Math.max(box.clientWidth, 200),
    height: plotHeight,
    scales: {
      x: { time: true },
      y: {
        range: (_plot, _min, max) => [0, yMax ?? (max > 0 ? max * 1.1 : 1)],
      },
    },
    series: [
      {},
      ...lines.map((line) => ({
        label: line.label,
        stroke: line.color,
        width: 1.5,
        ...(line.fill ? { fill: withAlpha(line.color, 0.12) } : {}),
        ...(line.dashed ? { dash: [4, 3] } : {}),
        ...(line.joinGaps ? { spanGaps: true, points: sparsePoints } : {}),
        value: (_plot: uPlot, value: number | null) => (value === null ? '–' : format(value)),
      })),
    ],
    axes: [
      axis,
      { ...axis, size: 60, values: (_plot, ticks) => ticks.map((tick) => format(tick)) },
    ],
    cursor: { drag: { x: false, y: false } },
    hooks: { drawClear: [(plot) => shade(plot, shaded())] },
  };
}

/** Dots on the few measured values of a line drawn across gaps. */
const sparsePoints: uPlot.Series.Points = {
  show: true,
  size: 5,
  filter: (plot, seriesIndex) =>
    sparseMarks((plot.data[seriesIndex] ?? []) as ReadonlyArray<number | null>),
};

/** Paints the shaded stretches behind the lines. */
function shade(plot: uPlot, spans: ReadonlyArray<readonly [number, number]>): void {
  const { ctx, bbox } = plot;
  ctx.save();
  ctx.fillStyle = shadeColor;
  for (const [start, end] of spans) {
    const left = plot.valToPos(start / 1000, 'x', true);
    const right = plot.valToPos(end / 1000, 'x', true);
    ctx.fillRect(left, bbox.top, Math.max(right - left, 2), bbox.height);
  }
  ctx.restore();
}

/** `#rrggbb` with an alpha, for a line's fill. */
function withAlpha(hex: string, alpha: number): string {
  const value = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}
