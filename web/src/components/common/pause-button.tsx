// The pause / resume toggle of a live stream view.
import { Icon } from './icons';

export function PauseButton({
  paused,
  onPause,
  onResume,
  disabled = false,
}: {
  paused: boolean;
  onPause: () => void;
  onResume: () => void;
  disabled?: boolean;
}) {
  return paused ? (
    <button
      type="button"
      onClick={onResume}
      className="flex items-center gap-1 rounded-md bg-accent px-3 py-1 text-accent-fg"
    >
      <Icon name="play" className="h-3.5 w-3.5" /> Resume
    </button>
  ) : (
    <button
      type="button"
      onClick={onPause}
      disabled={disabled}
      className="flex items-center gap-1 rounded-md border border-line px-3 py-1 hover:bg-raised disabled:opacity-50"
    >
      <Icon name="pause" className="h-3.5 w-3.5" /> Pause
    </button>
  );
}
