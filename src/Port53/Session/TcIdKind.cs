namespace Port53.Session
{
    /// <summary>The kinds of id tab completion offers from <see cref="TcSessionState.Recent"/>.</summary>
    internal enum TcIdKind
    {
        Instance,
        SecurityGroup,
        LighthouseInstance,
    }
}
