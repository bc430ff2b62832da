using System.Collections.Generic;
using System.Text;

namespace Port53.HelpGen.About
{
    /// <summary>
    /// Word wrap by console columns for English, Chinese, Japanese and Korean. Han and kana may break between any
    /// two characters (these languages put no spaces between words); Hangul is written with spaces, so Korean
    /// wraps at spaces like English. Wide characters take two columns. Closing punctuation never starts a line.
    /// </summary>
    public static class TextWrap
    {
        private const string NoLineStart = "、。，．,.:;?!）)」』】〕〉》・：；？！ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ％%";

        public static int Width(char c) =>
            (c >= '\u1100' && c <= '\u115F') || (c >= '\u2E80' && c <= '\uA4CF') || (c >= '\uAC00' && c <= '\uD7A3')
            || (c >= '\uF900' && c <= '\uFAFF') || (c >= '\uFE30' && c <= '\uFE4F') || (c >= '\uFF00' && c <= '\uFF60')
            || (c >= '\uFFE0' && c <= '\uFFE6') ? 2 : 1;

        public static int Width(string s)
        {
            int w = 0;
            foreach (char c in s) w += Width(c);
            return w;
        }

        /// <summary>Han, kana and CJK punctuation: a line may break before and after each one.</summary>
        public static bool BreaksAnywhere(char c) =>
            (c >= '\u2E80' && c <= '\u9FFF') || (c >= '\uF900' && c <= '\uFAFF') || (c >= '\uFE30' && c <= '\uFE4F')
            || (c >= '\uFF00' && c <= '\uFF60');

        private struct Token
        {
            public string Text;
            public bool SpaceBefore;
        }

        private static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            var word = new StringBuilder();
            bool space = false;
            void Flush()
            {
                if (word.Length == 0) return;
                tokens.Add(new Token { Text = word.ToString(), SpaceBefore = space });
                word.Clear();
                space = false;
            }
            foreach (char c in text)
            {
                if (char.IsWhiteSpace(c)) { Flush(); space = tokens.Count > 0; continue; }
                if (BreaksAnywhere(c))
                {
                    Flush();
                    tokens.Add(new Token { Text = c.ToString(), SpaceBefore = space });
                    space = false;
                    continue;
                }
                word.Append(c);
            }
            Flush();
            return tokens;
        }

        /// <summary>Wraps to <paramref name="width"/> columns; the first line starts with firstIndent, the others with restIndent.</summary>
        public static IEnumerable<string> Wrap(string text, int width, string firstIndent, string restIndent)
        {
            var line = new StringBuilder(firstIndent);
            int column = Width(firstIndent);
            bool empty = true;
            foreach (var token in Tokenize(text))
            {
                int needed = (token.SpaceBefore && !empty ? 1 : 0) + Width(token.Text);
                bool mustStay = token.Text.Length == 1 && NoLineStart.IndexOf(token.Text[0]) >= 0;
                if (!empty && column + needed > width && !mustStay)
                {
                    yield return line.ToString().TrimEnd();
                    line.Clear().Append(restIndent);
                    column = Width(restIndent);
                    empty = true;
                    needed = Width(token.Text);
                }
                if (token.SpaceBefore && !empty) line.Append(' ');
                line.Append(token.Text);
                column += needed;
                empty = false;
            }
            if (!empty) yield return line.ToString().TrimEnd();
        }
    }
}
