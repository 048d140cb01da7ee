// Band colours for the risk pages. Colours are set through the CSSOM (a Svelte action), never
// a style attribute, so the strict Content-Security-Policy holds.
import type { RiskBand } from '../lib/types';

/** Svelte action: sets the background to `value` (#rrggbb) and picks a readable text colour. */
export function bandColour(node: HTMLElement, value: string | undefined | null) {
  function apply(c: string | undefined | null) {
    if (!c || !/^#[0-9a-fA-F]{6}$/.test(c)) {
      node.style.removeProperty('background-color');
      node.style.removeProperty('color');
      return;
    }
    const r = parseInt(c.slice(1, 3), 16);
    const g = parseInt(c.slice(3, 5), 16);
    const b = parseInt(c.slice(5, 7), 16);
    node.style.backgroundColor = c;
    node.style.color = r * 0.299 + g * 0.587 + b * 0.114 > 150 ? '#1b1b1b' : '#ffffff';
  }
  apply(value);
  return { update: apply };
}

/** The band a score falls in, if any. */
export function bandOf(bands: RiskBand[], score: number): RiskBand | undefined {
  return bands.find((b) => score >= b.min_score && score <= b.max_score);
}

/** The score of a rating: the matrix's cell when there is one, else likelihood × impact. */
export function scoreOf(matrix: number[][] | null | undefined, likelihood: number, impact: number): number {
  const row = matrix?.[likelihood - 1];
  const cell = row?.[impact - 1];
  return typeof cell === 'number' && Number.isFinite(cell) ? cell : likelihood * impact;
}
