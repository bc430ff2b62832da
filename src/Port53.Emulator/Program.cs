namespace Port53.Emulator
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            System.Console.Error.WriteLine("Port53.Emulator: not built yet.");
            return 2;
        }
    }
}
