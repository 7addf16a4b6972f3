import { projectEdges, readProjectGraph, type ProjectEdges } from './project-graph';

jest.setTimeout(60_000);

describe('the Nx project graph', () => {
  let edges: ProjectEdges;

  beforeAll(() => {
    edges = readProjectGraph();
  });

  const dependenciesOf = (project: string) => [...(edges.get(project) ?? [])];

  it.each([
    ['gateway', ['events-store', 'analytics', 'contracts', 'sdk', 'kafka', 'service', 'observability']],
    ['ingest-worker', ['events-store', 'contracts', 'kafka', 'service', 'observability']],
    ['analytics-worker', ['analytics', 'contracts', 'kafka', 'service', 'observability']],
    ['simulator', ['sdk', 'contracts', 'observability']],
    ['sdk', ['contracts']],
  ])("shows %s's dependencies as its imports make them", (project, expected) => {
    expect(dependenciesOf(project)).toEqual(expect.arrayContaining(expected));
  });

  it('keeps the contract free of our other projects', () => {
    expect(dependenciesOf('contracts')).toEqual([]);
  });

  it('has no app depending on another app (web, whose browser tests start a gateway, aside)', () => {
    const apps = ['gateway', 'ingest-worker', 'analytics-worker', 'simulator', 'web'];
    for (const app of apps.filter((a) => a !== 'web'))
      expect(dependenciesOf(app).filter((d) => apps.includes(d))).toEqual([]);
  });

  it('reads only our projects from the graph file', () => {
    expect(
      projectEdges({
        graph: {
          dependencies: {
            a: [
              { target: 'b', type: 'static' },
              { target: 'npm:left-pad', type: 'static' },
            ],
            'npm:left-pad': [],
          },
        },
      }),
    ).toEqual(new Map([['a', new Set(['b'])]]));
  });
});
