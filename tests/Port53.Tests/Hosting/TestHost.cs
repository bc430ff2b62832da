using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace Port53.Tests.Hosting
{
    /// <summary>
    /// A PSHost that records everything written to it (-WhatIf text, warnings, progress) and answers
    /// -Confirm prompts from a queue the test sets, recording each prompt it was shown.
    /// </summary>
    public sealed class TestHost : PSHost
    {
        private readonly TestHostUI _ui = new TestHostUI();
        private readonly Guid _id = Guid.NewGuid();
        public TestHostUI Recorder => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture { get => _uiCulture; }
        private CultureInfo _uiCulture = new CultureInfo("en-US");
        public void SetUICulture(CultureInfo culture) => _uiCulture = culture;
        public override Guid InstanceId => _id;
        public override string Name => "Port53.TestHost";
        public override PSHostUserInterface UI => _ui;
        public override Version Version => new Version(1, 0);
        public int? ExitCode { get; private set; }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    }

    public sealed class TestHostUI : PSHostUserInterface
    {
        private readonly StringBuilder _text = new StringBuilder();
        private readonly object _gate = new object();
        public ConcurrentQueue<int> ChoiceAnswers { get; } = new ConcurrentQueue<int>();
        public List<string> Prompts { get; } = new List<string>();
        public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();

        public string Text { get { lock (_gate) return _text.ToString(); } }

        public void Clear()
        {
            lock (_gate) { _text.Clear(); Prompts.Clear(); Progress.Clear(); }
            while (ChoiceAnswers.TryDequeue(out _)) { }
        }

        private void Append(string s) { lock (_gate) _text.Append(s); }

        public override PSHostRawUserInterface RawUI { get; } = new TestRawUI();
        public override void Write(string value) => Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);
        public override void WriteLine(string value) => Append(value + "\n");
        public override void WriteErrorLine(string value) => Append("ERROR: " + value + "\n");
        public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");
        public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");
        public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");
        public override void WriteProgress(long sourceId, ProgressRecord record) { lock (_gate) Progress.Add(record); }
        public override string ReadLine() => string.Empty;
        public override SecureString ReadLineAsSecureString() => new SecureString();

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException("The test host does not answer free-text prompts: " + caption + " " + message);

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (_gate) Prompts.Add(caption + "\n" + message);
            if (!ChoiceAnswers.TryDequeue(out int answer))
                throw new InvalidOperationException("The test host was asked an unexpected question: " + caption + " " + message);
            return answer;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException("The test host does not answer credential prompts.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException("The test host does not answer credential prompts.");
    }

    internal sealed class TestRawUI : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; }
        public override ConsoleColor ForegroundColor { get; set; }
        public override Size BufferSize { get; set; } = new Size(200, 9999);
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new Size(200, 100);
        public override Size MaxWindowSize => new Size(200, 100);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get; set; } = new Size(200, 50);
        public override string WindowTitle { get; set; }
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
