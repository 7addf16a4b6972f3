import { GraphQLScalarType } from 'graphql';

/**
 * An activity's metadata and context pass through as they are stored: any JSON value. graphql-js's
 * defaults (values as they are, literals as plain values) are what JSON needs.
 */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: "Any JSON value: an activity's metadata and context.",
});
