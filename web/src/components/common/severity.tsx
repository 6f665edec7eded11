import { SEVERITY_STYLE, severityBand } from '../../lib/severity';

export function Severity({ number, text }: { number: number; text: string }) {
  const band = severityBand(number);
  return (
    <span
      className={`inline-block w-12 shrink-0 font-mono text-[11px] font-semibold uppercase ${SEVERITY_STYLE[band]}`}
    >
      {text || band}
    </span>
  );
}
