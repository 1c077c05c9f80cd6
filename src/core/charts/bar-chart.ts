// Server-side bar charts as PNG: chart.js drawing on @napi-rs/canvas (no DOM, no browser).
// Only the pieces a bar chart needs are registered, which keeps chart.js free of DOM assumptions.
import { createCanvas } from '@napi-rs/canvas';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Title, type ChartItem, type Plugin } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Title);

export interface BarSeries {
  label: string;
  values: number[];
  /** CSS colour of the bars. */
  color: string;
}

export interface BarChartInput {
  title: string;
  labels: string[];
  series: BarSeries[];
  width?: number;
  height?: number;
}

/** A transparent PNG looks broken on dark chat themes: paint the background white first. */
const whiteBackground: Plugin<'bar'> = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Renders grouped bars (one colour per series) and returns the PNG bytes. */
export function renderBarChart(input: BarChartInput): Uint8Array {
  const width = input.width ?? 800;
  const height = input.height ?? 400;
  const canvas = createCanvas(width, height);
  const chart = new Chart(canvas as unknown as ChartItem, {
    type: 'bar',
    data: {
      labels: input.labels,
      datasets: input.series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color, borderRadius: 2 })),
    },
    options: {
      // No window to resize with and no frames to animate: draw once at the given size.
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      plugins: { title: { display: true, text: input.title }, legend: { position: 'bottom' } },
      scales: {
        x: { ticks: { autoSkip: true, maxRotation: 0 } },
        y: { beginAtZero: true, ticks: { precision: 0 } },
      },
    },
    plugins: [whiteBackground],
  });
  try {
    return new Uint8Array(canvas.toBuffer('image/png'));
  } finally {
    chart.destroy();
  }
}
