/**
 * For resolver classes whose arguments all name their GraphQL type (`@Args('x', { type: () => Int })`):
 * @nestjs/graphql still reads each method's `design:paramtypes` and fails where there is none, as
 * under tsx (esbuild emits no decorator metadata). An empty list says "nothing inferred", so the
 * explicit types are used; where a compiler emitted the metadata, it is kept.
 */
export function ExplicitArgTypes(): ClassDecorator {
  return (target) => {
    const prototype = target.prototype as object;
    for (const key of Object.getOwnPropertyNames(prototype))
      if (key !== 'constructor' && !Reflect.hasOwnMetadata('design:paramtypes', prototype, key))
        Reflect.defineMetadata('design:paramtypes', [], prototype, key);
  };
}
