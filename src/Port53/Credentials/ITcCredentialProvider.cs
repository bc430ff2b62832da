using System.Threading;
using System.Threading.Tasks;

namespace Port53.Credentials
{
    /// <summary>Where the credentials of a session come from.</summary>
    public enum TcCredentialSource
    {
        Parameters,
        Environment,
        ProfileFile,
        TccliProfile,
        InstanceRole,
        Emulator,
        /// <summary>A CAM role's temporary keys from STS AssumeRole (Connect-TcAccount -RoleArn / -RoleName, a profile's role-arn).</summary>
        AssumedRole,
    }

    /// <summary>
    /// Supplies the credential to sign each request with. Asked before every attempt, so temporary credentials
    /// can renew themselves; implementations are thread-safe and cheap when nothing has expired.
    /// </summary>
    internal interface ITcCredentialProvider
    {
        TcCredentialSource Source { get; }

        /// <summary>Which profile, file or role, for Get-TcContext; never a secret.</summary>
        string Detail { get; }

        Task<TcCredential> GetCredentialAsync(CancellationToken cancellationToken);
    }

    /// <summary>Credentials fixed for the life of the session: parameters, environment, profile files, an emulator's keys.</summary>
    internal sealed class StaticCredentialProvider : ITcCredentialProvider
    {
        private readonly TcCredential _credential;

        public StaticCredentialProvider(TcCredential credential, TcCredentialSource source, string detail = null)
        {
            _credential = credential;
            Source = source;
            Detail = detail ?? string.Empty;
        }

        public TcCredentialSource Source { get; }
        public string Detail { get; }

        public Task<TcCredential> GetCredentialAsync(CancellationToken cancellationToken) => Task.FromResult(_credential);

        public override string ToString() => Source + " " + _credential;
    }
}
