// An istanbul report (listed in jest.config.js coverageReporters) that prints line coverage per
// project: jest's own summary is one figure for the whole workspace, while the thresholds are per
// project. (A jest reporter cannot do this: jest runs custom reporters before coverage is merged.)
'use strict';
const path = require('node:path');

class CoverageByProjectReport {
  execute(context) {
    context.getTree('flat').visit(this, context);
  }

  onStart() {
    this.projects = new Map();
  }

  onDetail(node) {
    const [group, name] = path.relative(process.cwd(), node.getFileCoverage().path).split(path.sep);
    const project = `${group}/${name}`;
    const { covered, total } = node.getCoverageSummary().lines;
    const sum = this.projects.get(project) ?? { covered: 0, total: 0 };
    this.projects.set(project, { covered: sum.covered + covered, total: sum.total + total });
  }

  onEnd() {
    const rows = [...this.projects.entries()].sort(([a], [b]) => a.localeCompare(b));
    console.log('\nLine coverage by project');
    for (const [project, { covered, total }] of rows) {
      const percent = total === 0 ? 100 : (100 * covered) / total;
      console.log(`  ${project.padEnd(24)} ${percent.toFixed(1).padStart(5)}%  (${covered}/${total} lines)`);
    }
  }
}

module.exports = CoverageByProjectReport;
