import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { count } from '../format.js';

/** One series over time, as a chart (uPlot) with the numbers behind it in a table beside. */
export function TimeChart(props: {
  title: string;
  /** Unix seconds, ascending. */
  times: number[];
  values: number[];
  unit: string;
  /** Column headings of the table. */
  timeHeading: string;
  valueHeading: string;
  formatTime(seconds: number): string;
}) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = target.current;
    if (!element) return;
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 220,
        legend: { show: false },
        cursor: { show: true, drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.2))] } },
        series: [{}, { label: props.unit, stroke: '#2f5d8a', fill: 'rgba(47, 93, 138, 0.15)', width: 2, points: { show: false } }],
        axes: [
          { stroke: '#555', values: (_u, splits) => splits.map((seconds) => props.formatTime(seconds)) },
          { stroke: '#555', size: 50 },
        ],
      },
      [props.times, props.values],
      element,
    );
    return () => plot.destroy();
  }, [props.times, props.values]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={target} class="chart-canvas" role="img" aria-label={props.title} />
      <details>
        <summary>The numbers behind the chart</summary>
        <table class="numbers">
          <thead>
            <tr>
              <th scope="col">{props.timeHeading}</th>
              <th scope="col" class="number">
                {props.valueHeading}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.times.map((time, index) => (
              <tr key={time}>
                <td>{props.formatTime(time)}</td>
                <td class="number">{count(props.values[index] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
