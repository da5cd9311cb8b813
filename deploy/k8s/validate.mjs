// Validates Kubernetes objects against the API's schemas, without a cluster: node validate.mjs FILE…
// Needs the npm packages kubernetes-models and yaml, looked up from .ci/node (where .ci/run installs
// them: npm install --prefix .ci/node kubernetes-models@4.5.1 yaml@2.9.1) or $SWEEPS_NODE_TOOLS.
// Prints one line an object; exits 1 if any is invalid.
// What it checks: each object's kind exists in its apiVersion, required fields are there and every
// field has the schema's type and format. What it does not: fields the schema does not know
// (the models allow them), and anything only a cluster knows (admission, quotas, other objects).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const tools = process.env.SWEEPS_NODE_TOOLS ?? fileURLToPath(new URL("../../.ci/node/", import.meta.url));
const require = createRequire(`${tools}/package.json`);
const { parseAllDocuments } = require("yaml");
let invalid = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    const object = document.toJS();
    if (!object) continue;
    const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
    const where = group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
    const name = `${object.kind}/${object.metadata?.name}`;
    let Model;
    try {
      Model = require(where)[object.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      console.log(`INVALID ${file} ${name}: no kind ${object.kind} in ${object.apiVersion}`);
      invalid++;
      continue;
    }
    try {
      new Model(object).validate();
      console.log(`valid ${file} ${name}`);
    } catch (error) {
      console.log(`INVALID ${file} ${name}: ${error.message}`);
      invalid++;
    }
  }
}
process.exitCode = invalid > 0 ? 1 : 0;
