import 'reflect-metadata';
import { ExplicitArgTypes } from './explicit-types.decorator';

describe('ExplicitArgTypes', () => {
  it('gives a method without design-time metadata (as under tsx) an empty list, and keeps what a compiler emitted', () => {
    class Resolver {
      compiled(_a: string) {
        return _a;
      }
      bare(_a: string) {
        return _a;
      }
    }
    // SWC emits this for `compiled` (as the build and jest compile); esbuild emits nothing for either.
    Reflect.deleteMetadata('design:paramtypes', Resolver.prototype, 'bare');
    Reflect.defineMetadata('design:paramtypes', [String], Resolver.prototype, 'compiled');
    ExplicitArgTypes()(Resolver);
    expect(Reflect.getMetadata('design:paramtypes', Resolver.prototype, 'bare')).toEqual([]);
    expect(Reflect.getMetadata('design:paramtypes', Resolver.prototype, 'compiled')).toEqual([String]);
    expect(Reflect.hasOwnMetadata('design:paramtypes', Resolver.prototype, 'constructor')).toBe(false);
  });
});
