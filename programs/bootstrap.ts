import { deployableStacks, GithubDeployRoles } from "../components/iam";
import { loadBootstrapConfig } from "../config/load";

/**
 * A bootstrap stack (`stackKind: bootstrap`, one `Pulumi.bootstrap-<stack>.yaml` per deployed stack): deployed once by
 * an administrator into the account `deployStack` deploys into, it creates the roles GitHub Actions deploys and
 * previews that stack with. Its outputs are what the GitHub environments' `AWS_ROLE_ARN` variables hold.
 */
export function bootstrapProgram() {
    // Config first: an unpinned repository or stack fails here, before any resource is registered.
    const config = loadBootstrapConfig(deployableStacks());
    const roles = new GithubDeployRoles("github", {
        repository: config.githubRepository,
        deployStack: config.deployStack,
        accountId: config.accountId,
        existingOidcProviderArn: config.githubOidcProviderArn,
    });
    return {
        deployStack: config.deployStack,
        /** `AWS_ROLE_ARN` of GitHub environment `<deployStack>`. */
        deployerRoleArn: roles.deployer.arn,
        /** `AWS_ROLE_ARN` of GitHub environment `<deployStack>-preview`. */
        previewRoleArn: roles.preview.arn,
        oidcProviderArn: roles.oidcProviderArn,
        boundaryArn: roles.boundary.arn,
    };
}
