// A Dockerfile as stages of instructions, parsed with dockerfile-ast (the parser behind the
// Docker language server), plus the questions the tests ask of it: where a path in the final
// image comes from, which build-context paths it copies, what its ENTRYPOINT runs.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';

export interface Instruction {
  keyword: string;
  /** Arguments with flags removed (`COPY --from=x a b` → [a, b]). */
  args: string[];
  /** `--from` of a COPY. */
  from?: string;
  /** The JSON array of an exec-form ENTRYPOINT, CMD or HEALTHCHECK CMD. */
  exec?: string[];
  /** ENV name/value pairs. */
  env?: [string, string][];
  line: number;
}

export interface Stage {
  name: string | undefined;
  /** Base image with build ARGs resolved, or the name of an earlier stage. */
  base: string;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  args: Record<string, string>;
  stages: Stage[];
}

function execForm(text: string): string[] | undefined {
  const start = text.indexOf('[');
  if (start === -1) return undefined;
  try {
    const parsed = JSON.parse(text.slice(start)) as unknown;
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function parseDockerfile(path: string): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(readFileSync(path, 'utf8'));
  const args: Record<string, string> = {};
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property?.getName()) args[property.getName()] = property.getValue() ?? '';
  }
  const expand = (value: string) => value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, name) => args[name] ?? m);
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const values = instruction.getArguments().map((a) => a.getValue());
    const line = instruction.getRange().start.line + 1;
    if (keyword === 'FROM') {
      const asIndex = values.findIndex((v) => v.toUpperCase() === 'AS');
      stages.push({
        name: asIndex === -1 ? undefined : values[asIndex + 1],
        base: expand(values[0] ?? ''),
        instructions: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue;
    const parsed: Instruction = { keyword, args: values, line };
    if (keyword === 'COPY' || keyword === 'ADD') {
      // biome-ignore lint/suspicious/noExplicitAny: Copy exposes getFromFlag()
      const from = (instruction as any).getFromFlag?.()?.getValue();
      if (from) parsed.from = from;
    }
    if (keyword === 'ENTRYPOINT' || keyword === 'CMD' || keyword === 'HEALTHCHECK') {
      const text = instruction.getRawArgumentsContent() ?? '';
      const exec = execForm(keyword === 'HEALTHCHECK' ? text.slice(text.indexOf('CMD') + 3) : text);
      if (exec) parsed.exec = exec;
    }
    if (keyword === 'ENV') {
      // biome-ignore lint/suspicious/noExplicitAny: Env exposes getProperties()
      parsed.env = (instruction as any).getProperties().map((p: any) => [p.getName(), p.getValue() ?? '']);
    }
    stage.instructions.push(parsed);
  }
  return { args, stages };
}

export function finalStage(dockerfile: ParsedDockerfile): Stage {
  const stage = dockerfile.stages.at(-1);
  if (!stage) throw new Error('Dockerfile has no FROM');
  return stage;
}

export function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

export function workdirAt(stage: Stage, line: number): string {
  let dir = '/';
  for (const i of all(stage, 'WORKDIR')) if (i.line < line) dir = posix.resolve(dir, i.args[0] ?? '/');
  return dir;
}

export interface CopySource {
  /** A build-context path (repo-relative) or `stage:/abs/path`. */
  origin: string;
  fromStage?: string;
}

/**
 * Where an absolute path of the final image comes from: the last COPY whose destination holds
 * it, mapped back to its source. Docker copies a directory's contents (not the directory) into
 * the destination, and a file into `dest/` or onto `dest`; `isDirectory` tells which a source
 * is (a build-context path, or `stage:/path` for `--from`).
 */
export function originOf(
  stage: Stage,
  imagePath: string,
  isDirectory: (source: string) => boolean,
): CopySource | undefined {
  for (const copy of [...all(stage, 'COPY')].reverse()) {
    const sources = copy.args.slice(0, -1);
    const rawDest = copy.args.at(-1) ?? '';
    const dest = posix.resolve(workdirAt(stage, copy.line), rawDest);
    const destIsDir = rawDest.endsWith('/') || sources.length > 1;
    for (const source of sources) {
      const key = copy.from ? `${copy.from}:${source}` : source;
      let rest: string | undefined;
      if (isDirectory(key)) {
        if (imagePath === dest) rest = '';
        else if (imagePath.startsWith(`${dest}/`)) rest = imagePath.slice(dest.length + 1);
      } else if (imagePath === (destIsDir ? posix.join(dest, posix.basename(source)) : dest)) {
        rest = '';
      }
      if (rest === undefined) continue;
      const from = posix.join(source, rest).replace(/\/$/, '');
      return copy.from
        ? { origin: `${copy.from}:${from}`, fromStage: copy.from }
        : { origin: from.replace(/^\.\//, '') };
    }
  }
  return undefined;
}

/** ENV of a stage as a map (later ENVs win). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of all(stage, 'ENV')) for (const [k, v] of i.env ?? []) env[k] = v;
  return env;
}
