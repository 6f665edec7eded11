// The last good configuration on disk, so an instance that starts while the control plane is
// down runs what it ran before (fail static). Written to a temporary file and renamed, so a
// crash mid-write leaves the previous file whole.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CachedConfig {
  version: number;
  content: unknown;
  applied_at: number;
}

export class ConfigCache {
  readonly path: string;

  constructor(
    private readonly dir: string,
    service: string,
    environment: string,
  ) {
    // Per service and environment, not per instance: a restarted process gets a new instance
    // id but should still find what it ran.
    this.path = join(dir, `${service}.${environment}.config.json`);
  }

  /** The cached version, or undefined when there is none or it cannot be read. */
  async load(): Promise<CachedConfig | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as Partial<CachedConfig>;
      if (typeof parsed.version !== 'number' || !('content' in parsed)) return undefined;
      return { version: parsed.version, content: parsed.content, applied_at: parsed.applied_at ?? 0 };
    } catch {
      return undefined;
    }
  }

  async save(entry: CachedConfig): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(entry));
    await rename(temporary, this.path);
  }
}
