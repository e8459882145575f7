// Static checks of the Dockerfiles, docker-compose.yml and the Kubernetes manifests (no Docker,
// no cluster): they parse the files and hold them to the configuration schema and to each other.
/** @type {import('jest').Config} */
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'deploy',
  rootDir: __dirname,
};
