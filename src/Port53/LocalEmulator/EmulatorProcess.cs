using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Port53.Resources;

namespace Port53.LocalEmulator
{
    /// <summary>
    /// An emulator running as a child process (`dotnet Port53.Emulator.dll ... --exit-on-stdin-close`). The child
    /// prints its URL and then one JSON line with the credentials it accepts; it is ready once /_emulator/health
    /// answers. Its stdin stays open for its whole life: closing it is the polite stop, and when this process dies
    /// the pipe closes with it, so the child never outlives PowerShell even when nobody calls Stop.
    /// </summary>
    internal sealed class EmulatorProcess
    {
        /// <summary>How long a start may take: a large generated fleet takes a few seconds on a busy machine.</summary>
        public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);
        private const int StopGraceMilliseconds = 5000;
        private const int KillWaitMilliseconds = 5000;
        private const int MaxErrorOutput = 8000;

        private readonly Process _process;
        private readonly StringBuilder _errorOutput = new StringBuilder();
        private readonly object _gate = new object();
        private IDisposable _cleanup;
        private int _stopped;
        private readonly ErrorCategory _loadFailure;
        private int? _exitCode;

        private EmulatorProcess(Process process, ErrorCategory loadFailure)
        {
            _process = process;
            _loadFailure = loadFailure;
        }

        public Uri Url { get; private set; }
        public int Port => Url.Port;
        public int ProcessId { get; private set; }
        public DateTime StartTime { get; private set; }
        public EmulatorHealth Health { get; private set; }
        public string SecretId { get; private set; }
        internal string SecretKey { get; private set; }
        internal string Token { get; private set; }

        public bool HasExited
        {
            get
            {
                if (Volatile.Read(ref _stopped) != 0) return true;
                try
                {
                    return _process.HasExited;
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }

        /// <summary>The exit code once the child has exited, else null.</summary>
        public int? ExitCode
        {
            get
            {
                if (_exitCode.HasValue) return _exitCode;
                try
                {
                    return _process.HasExited ? _process.ExitCode : (int?)null;
                }
                catch (InvalidOperationException)
                {
                    return null;
                }
            }
        }

        /// <summary>What the child wrote to stderr (the first few thousand characters), trimmed.</summary>
        public string ErrorOutput
        {
            get { lock (_gate) return _errorOutput.ToString().Trim(); }
        }

        /// <summary>
        /// Starts the child and waits until it answers. Throws <see cref="EmulatorException"/> when it exits first
        /// (EmulatorStartFailed; its stderr in the message), prints something unexpected, or is not ready within
        /// <paramref name="timeout"/> (EmulatorStartTimedOut); the child is gone by then. Cancelling kills it too.
        /// <paramref name="loadFailure"/> is the category of exit code 1, "could not load the fleet or listen",
        /// which only the caller can name: bad data for a file, a bad argument for a generator spec.
        /// </summary>
        public static async Task<EmulatorProcess> StartAsync(string host, IReadOnlyList<string> arguments, TimeSpan timeout,
            ErrorCategory loadFailure, CancellationToken cancellationToken)
        {
            string commandLine = CommandLineOf(host, arguments);
            var process = new Process
            {
                StartInfo = new ProcessStartInfo(host, string.Join(" ", arguments.Select(CommandLineText.Quote)))
                {
                    UseShellExecute = false,
                    CreateNoWindow = true,
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    // Not the user's current folder: on Windows a process's working folder cannot be deleted.
                    WorkingDirectory = Path.GetDirectoryName(arguments[0]) ?? string.Empty,
                    StandardOutputEncoding = new UTF8Encoding(false),
                    StandardErrorEncoding = new UTF8Encoding(false),
                },
                EnableRaisingEvents = true,
            };
            var emulator = new EmulatorProcess(process, loadFailure);
            var handshake = new TaskCompletionSource<string[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var lines = new List<string>();
            process.OutputDataReceived += (s, e) =>
            {
                // After the handshake the child writes nothing more; reading on keeps the pipe from ever filling.
                if (e.Data == null || handshake.Task.IsCompleted) return;
                lock (lines)
                {
                    lines.Add(e.Data);
                    if (lines.Count == 2) handshake.TrySetResult(lines.ToArray());
                }
            };
            process.ErrorDataReceived += (s, e) => emulator.AddErrorOutput(e.Data);
            process.Exited += (s, e) => exited.TrySetResult(true);

            try
            {
                process.Start();
            }
            catch (Exception ex) when (ex is Win32Exception || ex is InvalidOperationException || ex is IOException)
            {
                process.Dispose();
                throw new EmulatorException("EmulatorStartFailed", ErrorCategory.NotInstalled,
                    Strings.Emulator.Format("StartNotLaunched", commandLine, ex.Message), ex);
            }
            emulator.ProcessId = process.Id;
            emulator.StartTime = DateTime.Now;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            try
            {
                using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    deadline.CancelAfter(timeout);
                    Task timedOut = Task.Delay(Timeout.Infinite, deadline.Token);
                    Task first = await Task.WhenAny(handshake.Task, exited.Task, timedOut).ConfigureAwait(false);
                    if (first == exited.Task) throw emulator.ExitedEarly();
                    if (first == timedOut)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        throw emulator.TimedOut(timeout);
                    }
                    emulator.ReadHandshake(handshake.Task.Result);
                    emulator.Health = await emulator.WaitUntilAnsweringAsync(exited.Task, deadline.Token).ConfigureAwait(false);
                    return emulator;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw emulator.TimedOut(timeout);
            }
            finally
            {
                if (emulator.Health == null) emulator.Stop();
            }
        }

        /// <summary>The command line as a shell would show it (for verbose output; it holds no secret).</summary>
        public static string CommandLineOf(string host, IEnumerable<string> arguments) =>
            string.Join(" ", new[] { host }.Concat(arguments).Select(CommandLineText.Quote));

        /// <summary>Registered with the session so that closing the runspace stops the child; released by Stop.</summary>
        public void AttachCleanup(IDisposable registration)
        {
            if (Volatile.Read(ref _stopped) != 0) registration.Dispose();
            else _cleanup = registration;
        }

        /// <summary>
        /// Closes the child's stdin (it exits on its own), kills it if it is still there after a grace period,
        /// and waits for it. Safe to call more than once and from any thread.
        /// </summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
            Interlocked.Exchange(ref _cleanup, null)?.Dispose();
            try
            {
                if (!_process.HasExited)
                {
                    try
                    {
                        _process.StandardInput.Close();
                    }
                    catch (IOException)
                    {
                    }
                    if (!_process.WaitForExit(StopGraceMilliseconds))
                    {
                        Kill();
                        _process.WaitForExit(KillWaitMilliseconds);
                    }
                }
                // The parameterless wait also lets the stdout/stderr readers finish.
                if (_process.HasExited)
                {
                    _process.WaitForExit();
                    _exitCode = _process.ExitCode;
                }
            }
            catch (InvalidOperationException)
            {
            }
            finally
            {
                _process.Dispose();
            }
        }

        private void Kill()
        {
            try
            {
                _process.Kill();
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }
            catch (Win32Exception)
            {
                // It is exiting and can no longer be signalled.
            }
        }

        private void ReadHandshake(string[] lines)
        {
            try
            {
                JObject info = JObject.Parse(lines[1]);
                if (Uri.TryCreate(lines[0].Trim(), UriKind.Absolute, out Uri url) && (string)info["SecretId"] is string id && (string)info["SecretKey"] is string key)
                {
                    Url = new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
                    SecretId = id;
                    SecretKey = key;
                    Token = (string)info["Token"];
                    return;
                }
            }
            catch (JsonException)
            {
            }
            // The second line carries the key, so only the first is quoted back.
            throw new EmulatorException("EmulatorStartFailed", ErrorCategory.InvalidResult,
                Strings.Emulator.Format("StartBadHandshake", ProcessId, lines[0]));
        }

        private async Task<EmulatorHealth> WaitUntilAnsweringAsync(Task exited, CancellationToken deadline)
        {
            var control = new EmulatorControlClient(Url);
            while (true)
            {
                if (exited.IsCompleted) throw ExitedEarly();
                try
                {
                    return await control.GetHealthAsync(deadline).ConfigureAwait(false);
                }
                catch (EmulatorException) when (!deadline.IsCancellationRequested)
                {
                    await Task.Delay(50, deadline).ConfigureAwait(false);
                }
            }
        }

        private EmulatorException ExitedEarly()
        {
            try
            {
                _process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }
            int code = ExitCode ?? -1;
            // The emulator exits with 2 for bad options and 1 when it cannot load its fleet or listen (docs/emulator.md).
            ErrorCategory category = code == 2 ? ErrorCategory.InvalidArgument : code == 1 ? _loadFailure : ErrorCategory.NotSpecified;
            return new EmulatorException("EmulatorStartFailed", category, Strings.Emulator.Format("StartExited", code, ErrorOutputSentence()));
        }

        private EmulatorException TimedOut(TimeSpan timeout)
        {
            // Stopped first, so whatever it wrote to stderr meanwhile is in the message.
            Stop();
            return new EmulatorException("EmulatorStartTimedOut", ErrorCategory.OperationTimeout,
                Strings.Emulator.Format("StartTimedOut", ProcessId, (int)Math.Ceiling(timeout.TotalSeconds), ErrorOutputSentence()));
        }

        private string ErrorOutputSentence()
        {
            string text = ErrorOutput;
            return text.Length == 0 ? Strings.Emulator["ErrorOutputNone"] : Strings.Emulator.Format("ErrorOutput", text);
        }

        private void AddErrorOutput(string line)
        {
            if (line == null) return;
            lock (_gate)
            {
                if (_errorOutput.Length < MaxErrorOutput) _errorOutput.AppendLine(line);
            }
        }
    }

    /// <summary>
    /// Command-line quoting for ProcessStartInfo.Arguments (netstandard2.0 has no ArgumentList): the rules
    /// CommandLineToArgvW and .NET's own parser on Unix share, so a path with spaces or quotes arrives intact.
    /// </summary>
    internal static class CommandLineText
    {
        public static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0) return argument;
            var quoted = new StringBuilder("\"");
            for (int i = 0; i < argument.Length; i++)
            {
                int backslashes = 0;
                while (i < argument.Length && argument[i] == '\\')
                {
                    backslashes++;
                    i++;
                }
                if (i == argument.Length)
                {
                    // Doubled, so they do not escape the closing quote.
                    quoted.Append('\\', backslashes * 2);
                    break;
                }
                if (argument[i] == '"') quoted.Append('\\', backslashes * 2 + 1).Append('"');
                else quoted.Append('\\', backslashes).Append(argument[i]);
            }
            return quoted.Append('"').ToString();
        }
    }
}
