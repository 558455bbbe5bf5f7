/**
 * Compile-time checks that a record's zod schema describes its type exactly. A schema that left out an optional
 * field would still produce a value assignable to the type, and zod objects drop the keys they do not know
 * (https://zod.dev/api#objects): the field would be lost on the next write. Types only, nothing at run time.
 */

/** Readonly all the way down, so a zod output (mutable) compares with a readonly interface. */
type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * True only when A and B have the same fields, optional or not, with the same types (readonly aside). The identity
 * test is TypeScript's own comparison of two generic signatures:
 * https://github.com/microsoft/TypeScript/issues/27024#issuecomment-421529650
 */
export type SameShape<A, B> =
  (<X>() => X extends DeepReadonly<A> ? 1 : 2) extends <X>() => X extends DeepReadonly<B> ? 1 : 2 ? true : false;

/** Fails to compile unless its argument is `true`: `type _Check = Assert<SameShape<z.output<typeof s>, T>>`. */
export type Assert<T extends true> = T;
