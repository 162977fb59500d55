/** The URL of the bundle's entry in `distUrl` if it is current, else undefined. */
export function freshBundle(distUrl: URL): URL | undefined;
