// The whole workspace's tests in one run: every project that has a jest.config.js, with coverage
// measured per project. A project under 80% of lines fails the run (libs/contracts: 90%).
const fs = require('node:fs');
const path = require('node:path');

const projectDirs = ['apps', 'libs', 'tools'].flatMap((group) =>
  fs.existsSync(path.join(__dirname, group))
    ? fs
        .readdirSync(path.join(__dirname, group))
        .map((name) => path.join(group, name))
        .filter((dir) => fs.existsSync(path.join(__dirname, dir, 'jest.config.js')))
    : [],
);

const stricterLineCoverage = { 'libs/contracts': 90 };

module.exports = {
  projects: projectDirs.map((dir) => `<rootDir>/${dir}`),
  collectCoverageFrom: projectDirs.flatMap((dir) => [
    `${dir}/src/**/*.ts`,
    `!${dir}/src/**/*.spec.ts`,
    `!${dir}/src/**/*.integration-spec.ts`,
    `!${dir}/src/**/main.ts`,
    `!${dir}/src/**/*.main.ts`,
  ]),
  coverageDirectory: '<rootDir>/coverage',
  coverageReporters: [
    'text-summary',
    'json-summary',
    'lcov',
    path.join(__dirname, 'tools/jest/coverage-by-project.report.js'),
  ],
  coverageThreshold: Object.fromEntries(
    projectDirs.map((dir) => [`./${dir}/src/`, { lines: stricterLineCoverage[dir] ?? 80 }]),
  ),
};
