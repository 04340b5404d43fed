// Loads a crate with the npm ro-crate library and prints what a consumer sees; exits 1 when something required is missing.
const { ROCrate } = require('ro-crate');
const fs = require('fs');
const json = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const crate = new ROCrate(json, { array: true, link: true });
const root = crate.rootDataset;
const types = (e) => [].concat(e['@type'] || []);
const entities = [...crate.entities()];
const actions = entities.filter(e => types(e).includes('CreateAction'));
const workflow = root.mainEntity && root.mainEntity[0];
const out = {
  root: root['@id'],
  conformsTo: (root.conformsTo || []).map(c => c['@id']),
  mainEntityTypes: workflow ? types(workflow) : [],
  actions: actions.length,
  files: entities.filter(e => types(e).includes('File')).length,
  software: entities.filter(e => types(e).includes('SoftwareApplication')).length,
  datasetLicense: entities.filter(e => types(e).includes('Dataset') && e['@id'] !== './' && e.license).map(e => e.license[0]['@id']),
};
console.log(JSON.stringify(out));
process.exit(out.actions > 0 && out.mainEntityTypes.includes('ComputationalWorkflow') ? 0 : 1);
