/** A spec as plain data: what YAML parses to once tags and aliases are resolved. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
