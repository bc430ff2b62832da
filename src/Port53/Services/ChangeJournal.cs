using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using Port53.Resources;

namespace Port53.Services
{
    /// <summary>
    /// The -JournalPath change log, write-ahead: one JSON object per line, appended, never rewritten. Before each
    /// write call an intent record (the group, the Version written against, the rules to add and to remove) is
    /// appended and flushed to disk; after it, an outcome record. So a crash at any moment leaves at most intents
    /// without outcome, which the next run with the same journal reconciles from a read of their groups.
    /// One writer per command (a lock), so records of groups written concurrently never interleave; the file is
    /// shared for reading meanwhile.
    /// </summary>
    internal sealed class ChangeJournal : IDisposable
    {
        private static readonly JsonSerializerSettings Settings = new JsonSerializerSettings
        {
            Formatting = Formatting.None,
            DateFormatHandling = DateFormatHandling.IsoDateFormat,
            DateTimeZoneHandling = DateTimeZoneHandling.Utc,
            Converters = { new StringEnumConverter() },
        };

        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        private readonly object _gate = new object();
        private FileStream _stream;
        // The file ends in a torn record: the first append starts a line of its own.
        private bool _needsNewLine;

        private ChangeJournal(string path) => Path = path;

        public string Path { get; }

        /// <summary>
        /// Checks that the journal can be appended to, before any change is made. With <paramref name="create"/>
        /// a missing file is created; without (under -WhatIf) only its folder must exist. Throws IOException or
        /// UnauthorizedAccessException with the reason.
        /// </summary>
        public static ChangeJournal Open(string path, bool create)
        {
            if (Directory.Exists(path)) throw new IOException(Strings.Remediation.Format("JournalIsFolder", path));
            string folder = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
                throw new DirectoryNotFoundException(Strings.Remediation.Format("JournalNoFolder", folder));
            var journal = new ChangeJournal(path);
            if (create || File.Exists(path))
            {
                using (var probe = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read))
                {
                }
            }
            return journal;
        }

        public static string ToJson(object record) => JsonConvert.SerializeObject(record, Settings);

        /// <summary>
        /// The journal as it stands: intents with no outcome (or only an Unknown one of their own run), oldest first,
        /// and the lines that are not records. Records of other kinds (change records of older versions) are skipped.
        /// </summary>
        public JournalScan Scan()
        {
            var scan = new JournalScan();
            if (!File.Exists(Path)) return scan;
            // Intents are kept as text until the end: nearly all get their outcome, and only the rest are bound.
            var pending = new Dictionary<string, string>(StringComparer.Ordinal);
            int number = 0;
            using (var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var reader = new StreamReader(stream, Utf8))
            {
                for (string line; (line = reader.ReadLine()) != null;)
                {
                    number++;
                    if (line.Trim().Length == 0) continue;
                    if (!TryReadHead(line, out string kind, out string id, out bool closes))
                    {
                        scan.TornLines.Add(number);
                        continue;
                    }
                    if (id == null) continue;
                    if (kind == "Intent") pending[id] = line;
                    else if (kind == "Outcome" && closes) pending.Remove(id);
                }
                stream.Seek(-Math.Min(1, stream.Length), SeekOrigin.End);
                _needsNewLine = stream.Length > 0 && stream.ReadByte() != '\n';
            }
            JsonSerializer serializer = JsonSerializer.Create(Settings);
            foreach (string line in pending.Values)
                scan.Pending.Add(JObject.Parse(line).ToObject<JournalIntent>(serializer));
            return scan;
        }

        /// <summary>
        /// Whether the line is one whole JSON object, and its kind, Id and whether it closes its intent (an outcome other
        /// than its own run's Unknown), read token by token: a journal of a busy year is read at every start.
        /// </summary>
        private static bool TryReadHead(string line, out string kind, out string id, out bool closes)
        {
            kind = id = null;
            string status = null;
            bool reconciled = false;
            closes = false;
            try
            {
                using (var json = new JsonTextReader(new StringReader(line)) { DateParseHandling = DateParseHandling.None })
                {
                    if (!json.Read() || json.TokenType != JsonToken.StartObject) return false;
                    while (json.Read() && json.TokenType == JsonToken.PropertyName)
                    {
                        string name = (string)json.Value;
                        if (!json.Read()) return false;
                        switch (name)
                        {
                            case "Record": kind = json.Value as string; break;
                            case "Id": id = json.Value as string; break;
                            case "Status": status = json.Value as string; break;
                            case "Reconciled": reconciled = json.Value is bool b && b; break;
                            default: json.Skip(); break;
                        }
                    }
                    if (json.TokenType != JsonToken.EndObject || json.Read()) return false;
                }
            }
            catch (JsonException)
            {
                return false;
            }
            closes = status != nameof(JournalStatus.Unknown) || reconciled;
            return true;
        }

        /// <summary>Appends the intent, on disk before this returns; gives it its Id and Time. Call just before the write.</summary>
        public string Intend(JournalIntent intent)
        {
            intent.Id = Guid.NewGuid().ToString("N");
            intent.Time = DateTime.UtcNow;
            Append(intent, reason => Strings.Remediation.Format("JournalIntentFailed", intent.SecurityGroupId ?? intent.Firewall, Path, reason));
            return intent.Id;
        }

        /// <summary>Appends an outcome, on disk before this returns.</summary>
        public void Conclude(JournalOutcome outcome)
        {
            if (outcome.Time == default) outcome.Time = DateTime.UtcNow;
            Append(outcome, reason => Strings.Remediation.Format("JournalWriteFailed", outcome.SecurityGroupId ?? outcome.Firewall, Path, reason, ToJson(outcome)));
        }

        private void Append(object record, Func<string, string> failure)
        {
            byte[] line = Utf8.GetBytes(ToJson(record) + "\n");
            try
            {
                lock (_gate)
                {
                    if (_stream == null) _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
                    if (_needsNewLine) _stream.WriteByte((byte)'\n');
                    _needsNewLine = false;
                    _stream.Write(line, 0, line.Length);
                    _stream.Flush(true);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ChangeJournalException(failure(ex.Message), ex);
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stream?.Dispose();
                _stream = null;
            }
        }
    }
}
