using System.IO;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Port53.Model;

namespace Port53.Services
{
    /// <summary>
    /// The -JournalPath change log: one JSON object per line, appended, never rewritten. Each record is written
    /// and flushed to disk before the next change is reported, so a crash loses no record of a change made.
    /// The file is opened per record: nothing stays locked between changes, and other tools can read it meanwhile.
    /// </summary>
    internal sealed class ChangeJournal
    {
        private static readonly JsonSerializerSettings Settings = new JsonSerializerSettings
        {
            Formatting = Formatting.None,
            DateFormatHandling = DateFormatHandling.IsoDateFormat,
            DateTimeZoneHandling = DateTimeZoneHandling.Utc,
            Converters = { new StringEnumConverter() },
        };

        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        private ChangeJournal(string path) => Path = path;

        public string Path { get; }

        /// <summary>
        /// Checks that the journal can be appended to, before any change is made. With <paramref name="create"/>
        /// a missing file is created; without (under -WhatIf) only its folder must exist. Throws IOException or
        /// UnauthorizedAccessException with the reason.
        /// </summary>
        public static ChangeJournal Open(string path, bool create)
        {
            if (Directory.Exists(path)) throw new IOException(Resources.Strings.Remediation.Format("JournalIsFolder", path));
            string folder = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
                throw new DirectoryNotFoundException(Resources.Strings.Remediation.Format("JournalNoFolder", folder));
            if (create || File.Exists(path))
            {
                using (new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read))
                {
                }
            }
            return new ChangeJournal(path);
        }

        public static string ToJson(TcPort53Change change) => JsonConvert.SerializeObject(change, Settings);

        public void Append(TcPort53Change change)
        {
            byte[] line = Utf8.GetBytes(ToJson(change) + "\n");
            using (var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                stream.Write(line, 0, line.Length);
                stream.Flush(true);
            }
        }
    }
}
