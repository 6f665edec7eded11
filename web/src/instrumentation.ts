// Runs once when the Next.js server starts, before it answers requests: validate the settings
// here so a bad SIGNALBOX_API_URL stops the dashboard at start with a message naming it,
// instead of failing on the first page view.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { validateSettingsAtStart } = await import('./instrumentation-node');
    validateSettingsAtStart();
  }
}
