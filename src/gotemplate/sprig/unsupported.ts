/**
 * Sprig functions Launchpad does not provide, with the reason shown at compile time. Argo CD removes the first three
 * from its ApplicationSet templates (and notifications remove env/expandenv): a template must not read the
 * controller's environment or reach the network. The rest generate keys and certificates, which a GitOps
 * template should not do at render time.
 */
const ENVIRONMENT = 'removed, as Argo CD removes it: a template must not read the controller\'s environment or the network';
const CRYPTO = 'not supported by Launchpad (key and certificate generation at render time); keep such material in a Secret';

export const UNSUPPORTED_SPRIG_FUNCTIONS: Readonly<Record<string, string>> = {
  env: ENVIRONMENT,
  expandenv: ENVIRONMENT,
  getHostByName: ENVIRONMENT,
  genPrivateKey: CRYPTO,
  derivePassword: CRYPTO,
  buildCustomCert: CRYPTO,
  genCA: CRYPTO,
  genCAWithKey: CRYPTO,
  genSelfSignedCert: CRYPTO,
  genSelfSignedCertWithKey: CRYPTO,
  genSignedCert: CRYPTO,
  genSignedCertWithKey: CRYPTO,
  encryptAES: CRYPTO,
  decryptAES: CRYPTO,
  htpasswd: CRYPTO,
  bcrypt: CRYPTO,
  randBytes: CRYPTO,
  semver: 'not supported by Launchpad (it returns a Go object); use semverCompare',
  urlParse: 'not supported by Launchpad',
  urlJoin: 'not supported by Launchpad',
  shuffle: 'not supported by Launchpad (its output is random)',
};
