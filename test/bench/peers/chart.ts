/**
 * A hand-written SVG of the report's figures: one small panel per figure, a bar for scaleplane and
 * one for the peer, each labelled with its value, and the ratio in the panel title.
 * @module
 */

export interface Panel {
  title: string;
  unit: string;
  /** 'lower' or 'higher' is better. */
  better: 'lower' | 'higher';
  scaleplane: number;
  peer: number;
  peerName: string;
}

const COLORS = { scaleplane: '#2b6cb0', peer: '#dd6b20' };
const W = 250;
const H = 210;
const COLS = 4;

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Three significant digits, no exponent for ordinary magnitudes. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (v === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))));
  return v.toLocaleString('en-US', {
    maximumFractionDigits: Math.min(digits, 6),
    minimumFractionDigits: 0,
  });
}

function panel(p: Panel, x: number, y: number): string {
  const max = Math.max(p.scaleplane, p.peer, 1e-12);
  const plotTop = y + 58;
  const plotH = H - 100;
  const baseY = plotTop + plotH;
  const bars = [
    { name: 'scaleplane', v: p.scaleplane, color: COLORS.scaleplane },
    { name: p.peerName, v: p.peer, color: COLORS.peer },
  ];
  const ratio = p.peer > 0 ? p.scaleplane / p.peer : NaN;
  const parts = [
    `<rect x="${x + 4}" y="${y + 4}" width="${W - 8}" height="${H - 8}" fill="#fff" stroke="#ddd"/>`,
    `<text x="${x + W / 2}" y="${y + 24}" text-anchor="middle" font-size="12" font-weight="bold">${esc(p.title)}</text>`,
    `<text x="${x + W / 2}" y="${y + 42}" text-anchor="middle" font-size="11" fill="#555">${esc(`${p.unit}, ${p.better} is better; ratio ${fmt(ratio)}`)}</text>`,
    `<line x1="${x + 20}" y1="${baseY}" x2="${x + W - 20}" y2="${baseY}" stroke="#888"/>`,
  ];
  bars.forEach((b, i) => {
    const bw = 70;
    const bx = x + 40 + i * 100;
    const bh = Number.isFinite(b.v) ? (b.v / max) * plotH : 0;
    parts.push(
      `<rect x="${bx}" y="${baseY - bh}" width="${bw}" height="${bh}" fill="${b.color}"/>`,
      `<text x="${bx + bw / 2}" y="${baseY - bh - 4}" text-anchor="middle" font-size="11">${esc(fmt(b.v))}</text>`,
      `<text x="${bx + bw / 2}" y="${baseY + 16}" text-anchor="middle" font-size="11">${esc(b.name)}</text>`,
    );
  });
  return parts.join('\n');
}

/** The whole chart. */
export function renderChart(title: string, subtitle: string, panels: Panel[]): string {
  const rows = Math.ceil(panels.length / COLS);
  const width = COLS * W;
  const height = rows * H + 60;
  const body = panels.map((p, i) => panel(p, (i % COLS) * W, 60 + Math.floor(i / COLS) * H));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#f7f7f7"/>`,
    `<text x="${width / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${esc(title)}</text>`,
    `<text x="${width / 2}" y="46" text-anchor="middle" font-size="11" fill="#444">${esc(subtitle)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
