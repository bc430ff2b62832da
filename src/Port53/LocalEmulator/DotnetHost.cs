using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace Port53.LocalEmulator
{
    /// <summary>
    /// Finds the dotnet host (the muxer) that runs the emulator dll. PowerShell 7 and Windows PowerShell are not
    /// dotnet themselves, so the host is looked for where .NET puts it, most specific first: DOTNET_HOST_PATH (set
    /// by the SDK for the processes it starts), the running process when it is dotnet (dotnet test, dotnet run),
    /// DOTNET_ROOT, every PATH entry, then the installers' default folders.
    /// </summary>
    internal static class DotnetHost
    {
        public const string HostPathVariable = "DOTNET_HOST_PATH";
        public const string RootVariable = "DOTNET_ROOT";

        public static string Find() =>
            Find(Environment.GetEnvironmentVariable, CurrentProcessPath(), File.Exists, RuntimeInformation.IsOSPlatform(OSPlatform.Windows));

        /// <summary>The first candidate that exists, or null; every input is passed in so tests can describe a machine.</summary>
        internal static string Find(Func<string, string> variable, string currentProcess, Func<string, bool> exists, bool windows) =>
            Candidates(variable, currentProcess, windows).FirstOrDefault(exists);

        /// <summary>Where to look, in order; only absolute paths, so a relative PATH entry cannot pick a stray dotnet.</summary>
        internal static IEnumerable<string> Candidates(Func<string, string> variable, string currentProcess, bool windows) =>
            Places(variable, currentProcess, windows).Where(IsUsablePath);

        private static IEnumerable<string> Places(Func<string, string> variable, string currentProcess, bool windows)
        {
            string exe = windows ? "dotnet.exe" : "dotnet";
            yield return variable(HostPathVariable);
            if (IsUsablePath(currentProcess) && string.Equals(Path.GetFileName(currentProcess), exe, windows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                yield return currentProcess;
            string root = variable(RootVariable);
            if (IsUsablePath(root)) yield return Path.Combine(root, exe);
            foreach (string dir in (variable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                string trimmed = dir.Trim().Trim('"');
                if (IsUsablePath(trimmed)) yield return Path.Combine(trimmed, exe);
            }
            if (windows)
            {
                string programFiles = variable("ProgramFiles");
                if (IsUsablePath(programFiles)) yield return Path.Combine(programFiles, "dotnet", exe);
            }
            else
            {
                yield return "/usr/local/share/dotnet/dotnet";
                yield return "/usr/share/dotnet/dotnet";
                yield return "/usr/lib/dotnet/dotnet";
                string home = variable("HOME");
                if (IsUsablePath(home)) yield return Path.Combine(home, ".dotnet", "dotnet");
            }
        }

        private static bool IsUsablePath(string path) =>
            !string.IsNullOrWhiteSpace(path) && path.IndexOfAny(Path.GetInvalidPathChars()) < 0 && Path.IsPathRooted(path);

        private static string CurrentProcessPath()
        {
            try
            {
                using (Process current = Process.GetCurrentProcess()) return current.MainModule?.FileName;
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is System.ComponentModel.Win32Exception || ex is NotSupportedException)
            {
                return null;
            }
        }
    }
}
