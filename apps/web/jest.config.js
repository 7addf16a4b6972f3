// The pages' DOM code lives in ui/ and runs in Chromium (web.e2e.integration-spec.ts), where jest's
// coverage cannot see it; src/ holds the pages' pure logic, which the unit specs cover.
module.exports = require('../../jest.preset.js')(__dirname);
