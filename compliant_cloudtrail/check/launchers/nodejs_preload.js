// Loaded with `node --require` before @pulumi/pulumi's run entry, by the offline check only.
//
// Why: the run entry reports an uncaught error with `util.inspect(err, { colors: true })` (@pulumi/pulumi
// cmd/run/error.js, defaultErrorMessage). With colours, Node 20.20's inspect marks the package of each stack line
// (markNodeModules, lib/internal/util/inspect.js), and on a frame such as
// ".../node_modules/@pulumi/resource.ts:1687:22" it finds no separator after the scoped name, restarts at the
// line's start and never ends: the string grows until V8 refuses it (about 30 s and 1 GB later) and only then is
// the uncoloured form printed. @pulumi/pulumi's source maps give exactly such frames ("sources": ["../resource.ts"]),
// so any program that throws while it loads waited that long. Errors are inspected without colours here; the
// check reads the text, not a terminal, and nothing else about inspect changes.
"use strict";

const util = require("util");

const original = util.inspect;

function inspect(value, options, ...rest) {
    if (value instanceof Error && options !== null && typeof options === "object" && options.colors) {
        return original.call(this, value, { ...options, colors: false }, ...rest);
    }
    return original.call(this, value, options, ...rest);
}

// inspect.custom, inspect.defaultOptions, inspect.colors and inspect.styles stay the original's.
for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(original))) {
    if (key !== "length" && key !== "name" && key !== "prototype") {
        Object.defineProperty(inspect, key, descriptor);
    }
}
util.inspect = inspect;
