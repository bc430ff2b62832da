using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Api;
using Port53.Resources;

namespace Port53.Credentials
{
    /// <summary>
    /// The credential chain other Tencent tools use, in their order: explicit parameters (the caller's
    /// business), environment, profile files, CVM instance role. Environment and home directory are
    /// injectable so tests never touch the process environment.
    /// </summary>
    internal sealed class TcCredentialChain
    {
        public const string SecretIdVariable = "TENCENTCLOUD_SECRET_ID";
        public const string SecretKeyVariable = "TENCENTCLOUD_SECRET_KEY";
        public const string RegionVariable = "TENCENTCLOUD_REGION";
        public const string EndpointVariable = "TENCENTCLOUD_ENDPOINT";
        public const string CredentialsFileVariable = "TENCENTCLOUD_CREDENTIALS_FILE";
        /// <summary>The token's name differs between tools: SDKs, tccli, Terraform.</summary>
        public static readonly string[] TokenVariables = { "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_TOKEN", "TENCENTCLOUD_SECURITY_TOKEN" };
        public const string DefaultProfile = "default";

        /// <summary>tccli's role variables, then the Terraform provider's (which adds a duration and an external id).</summary>
        public const string TccliRoleArnVariable = "TENCENTCLOUD_ROLE_ARN";
        public const string TccliRoleSessionVariable = "TENCENTCLOUD_ROLE_SESSION_NAME";
        public const string TerraformRoleArnVariable = "TENCENTCLOUD_ASSUME_ROLE_ARN";
        public const string TerraformRoleSessionVariable = "TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME";
        public const string TerraformRoleDurationVariable = "TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION";
        public const string TerraformRoleExternalIdVariable = "TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID";

        private readonly Func<string, string> _env;
        private readonly string _home;

        public TcCredentialChain(Func<string, string> environment = null, string homeDirectory = null)
        {
            _env = environment ?? Environment.GetEnvironmentVariable;
            _home = homeDirectory ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        /// <summary>The process chain: real environment, real home directory.</summary>
        public static TcCredentialChain Process => new TcCredentialChain();

        public string Variable(string name)
        {
            string value = _env(name);
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        public string EnvironmentRegion => Variable(RegionVariable);
        public string EnvironmentEndpoint => Variable(EndpointVariable);

        /// <summary>Environment → profile [default] → instance role; null when none has credentials.</summary>
        public async Task<ITcCredentialProvider> ResolveAsync(CancellationToken cancellationToken)
        {
            ITcCredentialProvider found = FromEnvironment() ?? FromProfile(DefaultProfile, required: false);
            if (found != null) return found;
            var role = new InstanceRoleCredentialProvider(Variable(InstanceRoleCredentialProvider.MetadataEndpointVariable));
            try
            {
                await role.GetCredentialAsync(cancellationToken).ConfigureAwait(false);
                return role;
            }
            catch (TcCredentialException)
            {
                return null;
            }
        }

        public ITcCredentialProvider FromEnvironment()
        {
            string id = Variable(SecretIdVariable), key = Variable(SecretKeyVariable);
            if (id == null || key == null) return null;
            string token = null;
            foreach (string name in TokenVariables)
                if ((token = Variable(name)) != null) break;
            return new StaticCredentialProvider(new TcCredential(id, key, token), TcCredentialSource.Environment);
        }

        /// <summary>
        /// The role the environment asks to assume: tccli's TENCENTCLOUD_ROLE_ARN (+ _ROLE_SESSION_NAME), else the
        /// Terraform provider's TENCENTCLOUD_ASSUME_ROLE_ARN (+ _SESSION_NAME, _SESSION_DURATION, _EXTERNAL_ID); null for none.
        /// </summary>
        public TcRoleRequest RoleFromEnvironment()
        {
            string arn = Variable(TccliRoleArnVariable);
            if (arn != null)
                return new TcRoleRequest(TcRoleArn.Parse(arn), Variable(TccliRoleSessionVariable)) { Origin = TccliRoleArnVariable };
            arn = Variable(TerraformRoleArnVariable);
            if (arn == null) return null;
            string duration = Variable(TerraformRoleDurationVariable);
            long? seconds = null;
            if (duration != null)
            {
                if (!long.TryParse(duration, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long parsed) || parsed < 1 || parsed > MaxRoleDurationSeconds)
                    throw new TcCredentialException("RoleParameterInvalid", ErrorCategory.InvalidArgument,
                        Strings.Core.Format("RoleDurationInvalid", TerraformRoleDurationVariable, duration, MaxRoleDurationSeconds));
                seconds = parsed;
            }
            return new TcRoleRequest(TcRoleArn.Parse(arn), Variable(TerraformRoleSessionVariable), seconds, Variable(TerraformRoleExternalIdVariable))
            {
                Origin = TerraformRoleArnVariable,
            };
        }

        /// <summary>AssumeRole's longest DurationSeconds (its default is 7200).</summary>
        public const long MaxRoleDurationSeconds = 43200;

        /// <summary>The role a tccli profile (~/.tccli/&lt;profile&gt;.credential) names with role-arn and role-session-name; null for none.</summary>
        public TcRoleRequest RoleFromProfile(string profile)
        {
            profile = string.IsNullOrWhiteSpace(profile) ? DefaultProfile : profile.Trim();
            string path = TccliFilePath(profile);
            JObject json = ReadJson(path);
            string arn = (string)TcJson.Get(json, "role-arn");
            if (string.IsNullOrWhiteSpace(arn)) return null;
            return new TcRoleRequest(TcRoleArn.Parse(arn), (string)TcJson.Get(json, "role-session-name")) { Origin = path };
        }

        public string CredentialsFilePath =>
            Variable(CredentialsFileVariable) ?? Path.Combine(_home, ".tencentcloud", "credentials");

        public string TccliFilePath(string profile) => Path.Combine(_home, ".tccli", profile + ".credential");

        /// <summary>
        /// A profile from ~/.tencentcloud/credentials (INI) or else tccli's ~/.tccli/&lt;profile&gt;.credential (JSON).
        /// Null when neither has it, unless <paramref name="required"/>, when that is an error naming both places.
        /// </summary>
        public ITcCredentialProvider FromProfile(string profile, bool required)
        {
            profile = string.IsNullOrWhiteSpace(profile) ? DefaultProfile : profile.Trim();
            string ini = CredentialsFilePath;
            Dictionary<string, string> section = ReadIniSection(ini, profile);
            if (section != null)
            {
                section.TryGetValue("secret_id", out string id);
                section.TryGetValue("secret_key", out string key);
                if (!section.TryGetValue("token", out string token)) section.TryGetValue("session_token", out token);
                if (!string.IsNullOrWhiteSpace(id) && !string.IsNullOrWhiteSpace(key))
                    return new StaticCredentialProvider(new TcCredential(id, key, token), TcCredentialSource.ProfileFile, profile + " (" + ini + ")");
                if (required) throw Incomplete(profile, ini);
            }

            string tccli = TccliFilePath(profile);
            JObject json = ReadJson(tccli);
            if (json != null)
            {
                string id = (string)TcJson.Get(json, "secretId"), key = (string)TcJson.Get(json, "secretKey");
                if (!string.IsNullOrWhiteSpace(id) && !string.IsNullOrWhiteSpace(key))
                    return new StaticCredentialProvider(new TcCredential(id, key, (string)TcJson.Get(json, "token")), TcCredentialSource.TccliProfile, profile + " (" + tccli + ")");
                if (required) throw Incomplete(profile, tccli);
            }

            if (!required) return null;
            throw new TcCredentialException("ProfileNotFound", ErrorCategory.ObjectNotFound,
                Strings.Core.Format("ProfileNotFound", profile, ini, tccli));
        }

        /// <summary>The region a profile names: region= in the INI section, or tccli's .configure file.</summary>
        public string ProfileRegion(string profile)
        {
            profile = string.IsNullOrWhiteSpace(profile) ? DefaultProfile : profile.Trim();
            Dictionary<string, string> section = ReadIniSection(CredentialsFilePath, profile);
            if (section != null && section.TryGetValue("region", out string region) && !string.IsNullOrWhiteSpace(region)) return region.Trim();
            JObject configure = ReadJson(Path.Combine(_home, ".tccli", profile + ".configure"));
            string tccliRegion = (string)TcJson.Get(TcJson.Get(configure, "_sys_param") as JObject, "region");
            return string.IsNullOrWhiteSpace(tccliRegion) ? null : tccliRegion.Trim();
        }

        private static TcCredentialException Incomplete(string profile, string path) =>
            new TcCredentialException("ProfileIncomplete", ErrorCategory.InvalidData, Strings.Core.Format("ProfileIncomplete", profile, path));

        /// <summary>The keys of one [section], lower-cased; null if the file or the section is missing.</summary>
        internal static Dictionary<string, string> ReadIniSection(string path, string section)
        {
            if (!File.Exists(path)) return null;
            Dictionary<string, string> found = null;
            bool inside = false;
            foreach (string raw in File.ReadAllLines(path))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line[0] == '#' || line[0] == ';') continue;
                if (line[0] == '[' && line[line.Length - 1] == ']')
                {
                    string name = line.Substring(1, line.Length - 2).Trim();
                    if (name.StartsWith("profile ", StringComparison.OrdinalIgnoreCase)) name = name.Substring(8).Trim();
                    inside = string.Equals(name, section, StringComparison.OrdinalIgnoreCase);
                    if (inside && found == null) found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    continue;
                }
                int eq = line.IndexOf('=');
                if (!inside || eq <= 0) continue;
                found[line.Substring(0, eq).Trim()] = line.Substring(eq + 1).Trim().Trim('"');
            }
            return found;
        }

        private static JObject ReadJson(string path)
        {
            if (!File.Exists(path)) return null;
            try
            {
                return JObject.Parse(File.ReadAllText(path));
            }
            catch (Newtonsoft.Json.JsonException)
            {
                return null;
            }
        }
    }
}
