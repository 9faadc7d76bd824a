/** A Deployment in `default`: what the seed's default-namespace-blocker refuses (Enforce). Shared by the offline policy tests. */
export const STRAY_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: stray
  namespace: default
spec:
  selector: {matchLabels: {app: stray}}
  template:
    metadata: {labels: {app: stray}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`;
