import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_API_URL, parseWebSettings, WebSettingsError } from '../../src/lib/settings';

describe('SIGNALBOX_API_URL', () => {
  it('defaults to the local server and normalizes a trailing slash', () => {
    assert.equal(parseWebSettings({}).apiUrl, DEFAULT_API_URL);
    assert.equal(parseWebSettings({ SIGNALBOX_API_URL: '' }).apiUrl, DEFAULT_API_URL);
    assert.equal(parseWebSettings({ SIGNALBOX_API_URL: 'https://sb.example.com/' }).apiUrl, 'https://sb.example.com');
    assert.equal(
      parseWebSettings({ SIGNALBOX_API_URL: 'http://10.0.0.1:8080/signalbox/' }).apiUrl,
      'http://10.0.0.1:8080/signalbox',
    );
  });

  for (const [value, reason] of [
    ['not a url', /is not a URL/],
    ['ftp://host', /http:\/\/ or https:\/\//],
    ['http://user:pw@host', /credentials/],
    ['http://host?x=1', /query or fragment/],
    ['http://host:8080/api/v1', /without \/api\/v1/],
  ] as const) {
    it(`refuses "${value}" and names the setting`, () => {
      assert.throws(
        () => parseWebSettings({ SIGNALBOX_API_URL: value }),
        (error: unknown) =>
          error instanceof WebSettingsError && /SIGNALBOX_API_URL/.test(error.message) && reason.test(error.message),
      );
    });
  }
});
