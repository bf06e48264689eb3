export { buildSite, siteBuild, SiteBuild, SiteFile, SITE_DIR } from "./build";
export { SiteContent, SiteContentArgs, CONFIG_KEY } from "./siteContent";
