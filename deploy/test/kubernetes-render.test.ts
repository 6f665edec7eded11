// Each overlay renders with kustomize, every object validates against the Kubernetes OpenAPI
// schemas (types and unknown fields), and the rendered output matches its golden file so a
// change to the manifests is a visible diff. Refresh the golden files after an intended change:
//   UPDATE_GOLDEN=1 node --import tsx --test deploy/test/kubernetes-render.test.ts
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SERVER_NODE_OPTIONS } from '../../server/src/node-options.js';
import { findKustomize, parseObjects, render } from './lib/kustomize.js';
import { OVERLAYS, overlayDir } from './lib/overlays.js';
import { schemaErrors, unknownFields } from './lib/schema.js';
import { container, envVar, find, workload } from './lib/workloads.js';

const GOLDEN_DIR = join(import.meta.dirname, 'golden');
const GOLDEN_HEADER =
  '# Rendered by kustomize from deploy/kubernetes/overlays/%s. Do not edit: refresh with\n' +
  '#   UPDATE_GOLDEN=1 node --import tsx --test deploy/test/kubernetes-render.test.ts\n';

describe('kustomize', () => {
  it('is a maintained implementation, v5 or newer', () => {
    const kustomize = findKustomize();
    assert.match(kustomize.version, /^v?([5-9]|\d{2,})\./);
  });
});

for (const overlay of OVERLAYS) {
  describe(`overlay ${overlay}`, () => {
    it('renders to objects that each have apiVersion, kind and name', () => {
      const { objects } = render(overlayDir(overlay));
      assert.ok(objects.length > 5, `only ${objects.length} objects rendered`);
      for (const object of objects) {
        assert.ok(object.apiVersion && object.kind && object.metadata?.name, JSON.stringify(object).slice(0, 200));
      }
      const ids = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      assert.deepEqual(
        ids.filter((x, i) => ids.indexOf(x) !== i),
        [],
        'duplicate objects',
      );
    });

    it('validates every object against the Kubernetes OpenAPI schemas', () => {
      const { objects } = render(overlayDir(overlay));
      const errors = objects.flatMap((o) => schemaErrors(o).map((e) => `${o.kind}/${o.metadata.name}: ${e}`));
      assert.deepEqual(errors, []);
    });

    it("runs the server with the server's node options (its NODE_OPTIONS replaces the image's)", () => {
      const { objects } = render(overlayDir(overlay));
      const server = container(workload(objects, 'Deployment', 'signalbox-server'), 'server');
      const options = String(envVar(server, 'NODE_OPTIONS')?.value ?? '').split(' ');
      for (const option of SERVER_NODE_OPTIONS) assert.ok(options.includes(option), `NODE_OPTIONS lacks ${option}`);
    });

    it('has no field the API server would reject as unknown', () => {
      const { objects } = render(overlayDir(overlay));
      const errors = objects.flatMap((o) => unknownFields(o).map((e) => `${o.kind}/${o.metadata.name}: ${e}`));
      assert.deepEqual(errors, []);
    });

    it('matches its golden file', () => {
      const { text, objects } = render(overlayDir(overlay));
      const golden = join(GOLDEN_DIR, `${overlay}.yaml`);
      if (process.env.UPDATE_GOLDEN === '1') {
        writeFileSync(golden, GOLDEN_HEADER.replace('%s', overlay) + text);
      }
      assert.ok(existsSync(golden), `${golden} is missing: run with UPDATE_GOLDEN=1 to write it`);
      // Compared as objects, so a newer kustomize that only re-wraps or re-quotes YAML still
      // passes while any change of content fails with a field-by-field diff.
      assert.deepEqual(
        objects,
        parseObjects(readFileSync(golden, 'utf8')),
        `rendered ${overlay} differs from ${golden}`,
      );
    });
  });
}

describe('the schema checks themselves', () => {
  it('reject a wrongly typed field, a missing required field and an unknown kind', () => {
    const { objects } = render(overlayDir('embedded'));
    const deployment = find(objects, 'Deployment', 'signalbox-server');
    deployment.spec.template.spec.containers[0].ports[0].containerPort = '8080';
    assert.match(schemaErrors(deployment).join('\n'), /containerPort must be integer/);

    const service = find(objects, 'Service', 'signalbox-server');
    delete service.spec.ports[0].port;
    assert.match(schemaErrors(service).join('\n'), /port/);

    assert.match(
      schemaErrors({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }).join(),
      /no Kubernetes schema/,
    );
  });

  it('reject a misspelt field at any depth', () => {
    const { objects } = render(overlayDir('ha'));
    const deployment = find(objects, 'Deployment', 'signalbox-server');
    const container = deployment.spec.template.spec.containers[0];
    container.readinesProbe = container.readinessProbe;
    container.securityContext.readOnlyRootFileSystem = true;
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'signalbox-server');
    hpa.spec.metrics[0].resource.target.averageUtilisation = 70;
    assert.deepEqual(unknownFields(deployment), [
      '.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem is not a field of V1SecurityContext',
      '.spec.template.spec.containers[0].readinesProbe is not a field of V1Container',
    ]);
    assert.deepEqual(unknownFields(hpa), [
      '.spec.metrics[0].resource.target.averageUtilisation is not a field of V2MetricTarget',
    ]);
  });
});
