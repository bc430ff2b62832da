using System;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api.Models;

namespace Port53.Api
{
    /// <summary>
    /// The STS actions Port53 uses: temporary keys for a CAM role (of this account or another that trusts it), and
    /// which account a set of keys belongs to (every object Port53 emits names its account).
    /// </summary>
    internal sealed class StsService
    {
        public const string Service = "sts";
        /// <summary>STS requires a region; this one serves when the session names none.</summary>
        public const string FallbackRegion = "ap-guangzhou";

        private readonly TcClient _client;

        public StsService(TcClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

        /// <summary>
        /// AssumeRole in <paramref name="region"/> (STS requires one; it also picks the access region, and so the budget).
        /// </summary>
        public Task<AssumeRoleResponse> AssumeRoleAsync(string region, AssumeRoleRequest request, CancellationToken cancellationToken) =>
            _client.CallAsync<AssumeRoleResponse>(Service, "AssumeRole", region, request, cancellationToken);

        /// <summary>GetCallerIdentity: takes main-account, sub-account and temporary keys alike; STS requires a region.</summary>
        public Task<GetCallerIdentityResponse> GetCallerIdentityAsync(string region, CancellationToken cancellationToken) =>
            _client.CallAsync<GetCallerIdentityResponse>(Service, "GetCallerIdentity", region, new GetCallerIdentityRequest(), cancellationToken);
    }
}
