namespace JiraExport.AppHost.Infrastructure;

/// <summary>How much memory a service's process keeps outside the managed heap.</summary>
internal static class NativeMemory
{
    /// <summary>
    /// Two glibc malloc arenas instead of up to eight per core. Every thread that allocates natively (the JIT, sockets, the
    /// runtime's own tables) takes an arena of its own, and an arena never gives back its high-water mark: under steady
    /// traffic resident memory kept creeping up while the managed heap stayed flat (<c>eng/soak.sh</c>). With two it levels off.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTwoMallocArenas(this IResourceBuilder<ProjectResource> service) =>
        service.WithEnvironment("MALLOC_ARENA_MAX", "2");
}
