/**
 * Dossier's SVG diagrams as PNG, for formats that take pictures (DOCX): resvg, a renderer without
 * a browser, shipped as a prebuilt binary inside npm packages. Text is drawn with the machine's
 * fonts, so the picture's pixels (not its content) can differ between machines with other fonts.
 */
import { createRequire } from 'node:module';

interface Rendered {
  asPng(): Uint8Array;
  readonly width: number;
  readonly height: number;
}
type ResvgClass = new (
  svg: string,
  options: {
    fitTo: { mode: 'width'; value: number };
    background: string;
    font: { loadSystemFonts: boolean; defaultFontFamily: string };
  },
) => { render(): Rendered };

let Resvg: ResvgClass | undefined;

export function svgToPng(svg: string, width: number): { data: Uint8Array; width: number; height: number } {
  if (!Resvg) {
    const require = createRequire(import.meta.url);
    Resvg = (require('@resvg/resvg-js') as { Resvg: ResvgClass }).Resvg;
  }
  const image = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return { data: image.asPng(), width: image.width, height: image.height };
}
