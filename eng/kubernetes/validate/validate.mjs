// Checks each object of the given YAML files against the Kubernetes API schema of its kind (kubernetes-models validates
// with the JSON schemas generated from the Kubernetes OpenAPI document: required fields, types, formats, enums).
// Prints one line per object; exits 1 if any is invalid or of a kind it does not know.
//   node eng/kubernetes/validate/validate.mjs deploy/kubernetes/*.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let invalid = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    const object = document.toJS();
    if (!object || !object.kind) continue;
    const { apiVersion, kind } = object;
    const name = `${file}: ${apiVersion} ${kind} ${object.metadata?.name}`;
    try {
      // Core objects live at kubernetes-models/v1/Kind, others at kubernetes-models/<group>/<version>/Kind.
      const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
      new module[kind](object).validate();
      console.log(`valid   ${name}`);
    } catch (error) {
      invalid++;
      console.log(`INVALID ${name}: ${error.message}`);
    }
  }
}
process.exit(invalid === 0 ? 0 : 1);
