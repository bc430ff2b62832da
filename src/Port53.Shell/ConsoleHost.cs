using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace Port53.Shell
{
    /// <summary>A console PSHost: output to stdout, errors to stderr, prompts on the terminal.</summary>
    internal sealed class ConsoleHost : PSHost, IHostSupportsInteractiveSession
    {
        private readonly ConsoleHostUI _ui = new ConsoleHostUI();
        private readonly Guid _id = Guid.NewGuid();

        public int? ExitCode { get; private set; }
        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
        public override Guid InstanceId => _id;
        public override string Name => "Port53.Shell";
        public override PSHostUserInterface UI => _ui;
        public override Version Version => typeof(ConsoleHost).Assembly.GetName().Version;
        public override void EnterNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by Port53.Shell.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by Port53.Shell.");
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

        public bool IsRunspacePushed => false;
        public System.Management.Automation.Runspaces.Runspace Runspace => null;
        public void PopRunspace() { }
        public void PushRunspace(System.Management.Automation.Runspaces.Runspace runspace) => throw new NotSupportedException();
    }

    internal sealed class ConsoleHostUI : PSHostUserInterface
    {
        private readonly ConsoleRawUI _raw = new ConsoleRawUI();
        public override PSHostRawUserInterface RawUI => _raw;

        // The formatter emits ANSI styling whatever $PSStyle says; a redirected stream (CI log, file, pipe) gets plain text.
        private static readonly Regex Ansi = new Regex("\u001b\\[[0-9;?]*[A-Za-z]", RegexOptions.Compiled);
        private static readonly bool PlainOut = Console.IsOutputRedirected;
        private static readonly bool PlainErr = Console.IsErrorRedirected;
        private static string Out(string s) => PlainOut && s != null ? Ansi.Replace(s, string.Empty) : s;
        private static string Err(string s) => PlainErr && s != null ? Ansi.Replace(s, string.Empty) : s;

        public override void Write(string value) => Console.Out.Write(Out(value));
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Out.Write(Out(value));
        public override void WriteLine(string value) => Console.Out.WriteLine(Out(value));
        public override void WriteErrorLine(string value) => Console.Error.WriteLine(Err(value));
        public override void WriteDebugLine(string message) => Console.Error.WriteLine(Err("DEBUG: " + message));
        public override void WriteVerboseLine(string message) => Console.Error.WriteLine(Err("VERBOSE: " + message));
        public override void WriteWarningLine(string message) => Console.Error.WriteLine(Err("WARNING: " + message));
        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        public override string ReadLine() => Console.In.ReadLine();

        public override SecureString ReadLineAsSecureString()
        {
            var s = new SecureString();
            string line = Console.IsInputRedirected ? Console.In.ReadLine() ?? string.Empty : ReadMasked();
            foreach (char c in line) s.AppendChar(c);
            s.MakeReadOnly();
            return s;
        }

        private static string ReadMasked()
        {
            var chars = new List<char>();
            for (ConsoleKeyInfo k = Console.ReadKey(true); k.Key != ConsoleKey.Enter; k = Console.ReadKey(true))
            {
                if (k.Key == ConsoleKey.Backspace) { if (chars.Count > 0) chars.RemoveAt(chars.Count - 1); }
                else chars.Add(k.KeyChar);
            }
            Console.WriteLine();
            return new string(chars.ToArray());
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            if (!string.IsNullOrEmpty(caption)) WriteLine(caption);
            if (!string.IsNullOrEmpty(message)) WriteLine(message);
            var result = new Dictionary<string, PSObject>();
            foreach (FieldDescription field in descriptions)
            {
                Write(field.Name + ": ");
                bool secure = field.ParameterTypeFullName == typeof(SecureString).FullName;
                result[field.Name] = secure ? PSObject.AsPSObject(ReadLineAsSecureString()) : PSObject.AsPSObject(ReadLine());
            }
            return result;
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            if (!string.IsNullOrEmpty(caption)) WriteLine(caption);
            if (!string.IsNullOrEmpty(message)) WriteLine(message);
            var labels = new List<string>();
            foreach (ChoiceDescription c in choices) labels.Add("[" + HotKey(c.Label) + "] " + c.Label.Replace("&", string.Empty));
            while (true)
            {
                Write(string.Join("  ", labels) + " (default is \"" + HotKey(choices[Math.Max(0, defaultChoice)].Label) + "\"): ");
                string answer = ReadLine();
                if (answer == null) return defaultChoice;
                answer = answer.Trim();
                if (answer.Length == 0) return defaultChoice;
                for (int i = 0; i < choices.Count; i++)
                {
                    if (string.Equals(answer, HotKey(choices[i].Label), StringComparison.OrdinalIgnoreCase) ||
                        string.Equals(answer, choices[i].Label.Replace("&", string.Empty), StringComparison.OrdinalIgnoreCase))
                        return i;
                }
            }
        }

        private static string HotKey(string label)
        {
            int amp = label.IndexOf('&');
            return amp >= 0 && amp + 1 < label.Length ? label.Substring(amp + 1, 1).ToUpperInvariant() : label;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        {
            if (!string.IsNullOrEmpty(message)) WriteLine(message);
            if (string.IsNullOrEmpty(userName)) { Write("User: "); userName = ReadLine(); }
            Write("Password for " + userName + ": ");
            return new PSCredential(userName, ReadLineAsSecureString());
        }
    }

    internal sealed class ConsoleRawUI : PSHostRawUserInterface
    {
        // Output redirected to a file or pipe has no window: render 120 columns, as pwsh does.
        private static int Width
        {
            get
            {
                try { return Console.IsOutputRedirected || Console.WindowWidth <= 0 ? 120 : Console.WindowWidth; }
                catch (System.IO.IOException) { return 120; }
            }
        }

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get => new Size(Width, 9999); set { } }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; } = 25;
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new Size(Width, 100);
        public override Size MaxWindowSize => new Size(Width, 100);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get => new Size(Width, 50); set { } }
        public override string WindowTitle { get; set; } = "Port53";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("Port53.Shell cannot read single keys.");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
