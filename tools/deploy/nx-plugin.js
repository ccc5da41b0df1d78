// Nx targets of every service with a Dockerfile (apps/<service>/Dockerfile), registered in nx.json:
//   nx run <service>:compile   what the image's build stage runs: the service compiled and its
//                              pruned package.json/lock, into dist/deploy/<service> (cached by Nx)
//   nx run <service>:image     the production image, hotline/<service>:latest (needs a Docker engine;
//                              more `docker build` options after `--`)
// One definition for all of them, as the Dockerfiles are one template (tools/deploy/dockerfiles.mjs).
const fs = require('node:fs');
const path = require('node:path');

function serviceTargets(service, dockerfile) {
  // The gateway's image also builds the web console it serves: so does its compile.
  const withConsole = /npm run build:console/.test(dockerfile);
  return {
    compile: {
      executor: 'nx:run-commands',
      options: { command: `node tools/deploy/build-service.mjs ${service} dist/deploy/${service}`, cwd: '{workspaceRoot}' },
      ...(withConsole ? { dependsOn: ['console:build'] } : {}),
      cache: true,
      inputs: [
        'production',
        '^production',
        '{workspaceRoot}/tools/deploy/build-service.mjs',
        '{workspaceRoot}/tsconfig.base.json',
        '{workspaceRoot}/package.json',
        '{workspaceRoot}/package-lock.json',
      ],
      outputs: [`{workspaceRoot}/dist/deploy/${service}`],
      metadata: { description: `Compiles ${service} as its image's build stage does, into dist/deploy/${service}` },
    },
    image: {
      executor: 'nx:run-commands',
      options: { command: `docker build -f apps/${service}/Dockerfile -t hotline/${service}:latest .`, cwd: '{workspaceRoot}' },
      metadata: { description: `Builds the production image hotline/${service}:latest (needs a Docker engine)` },
    },
  };
}

module.exports = {
  name: 'hotline-service-images',
  createNodes: [
    'apps/*/Dockerfile',
    (files, _options, context) =>
      files.map((file) => {
        const projectRoot = path.dirname(file);
        const dockerfile = fs.readFileSync(path.join(context.workspaceRoot, file), 'utf8');
        return [file, { projects: { [projectRoot]: { targets: serviceTargets(path.basename(projectRoot), dockerfile) } } }];
      }),
  ],
};
