export { createTmsIstioGenerateAction } from './istio/createTmsIstioGenerateAction';
export { createTmsArgocdGenerateAction } from './argocd/createTmsArgocdGenerateAction';
export { createTmsManifestsValidateAction } from './manifests/createTmsManifestsValidateAction';
export { createTmsPublishLocalAction } from './publish/createTmsPublishLocalAction';
export { createTmsCatalogAllocatePortAction } from './catalog/createTmsCatalogAllocatePortAction';
