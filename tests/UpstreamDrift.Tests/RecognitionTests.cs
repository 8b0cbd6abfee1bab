using System.IO;
using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>Which spec a page belongs to, recognized from the page itself (server host, endpoint paths).</summary>
public sealed class RecognitionTests : DriftTestBase
{
    [TestCase("files.md", "files.yaml")]
    [TestCase("profiles.md", "profiles.yaml")]
    [TestCase("gallery.md", "gallery.yaml")]
    public void Each_format_is_matched_to_its_spec_without_spec_option(string page, string spec)
    {
        var result = Check(page, Page(page));

        Assert.That(result.Lines[0], Does.StartWith($"PAGE      pages/{page}: ").And.EndWith($" -> {spec}"));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Spec_option_overrides_recognition()
    {
        var result = Run("--spec", "specs/profiles.yaml", WritePage("gallery.md", Page("gallery.md")));

        Assert.That(result.Lines[0], Is.EqualTo("PAGE      pages/gallery.md: Markdown prose page, 4 endpoints -> profiles.yaml"));
        Assert.That(result.Drift, Does.Contain("DRIFT     GET /pictures  endpoint: added upstream (not in spec)"));
        Assert.That(result.Drift, Does.Contain("DRIFT     GET /profile/documents  endpoint: removed upstream (spec only)"));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void Page_on_the_spec_server_is_recognized_even_when_every_path_moved()
    {
        var page = Edit(Page("profiles.md"), "path=\"/profile/documents\"", "path=\"/profiles/files\"");

        var result = Check("profiles.md", page);

        Assert.That(result.Lines[0], Does.EndWith(" -> profiles.yaml"));
        Assert.That(result.Drift, Has.Count.EqualTo(1));
        Assert.That(result.Drift[0], Is.EqualTo("DRIFT     GET /profile/documents  path: \"/profiles/files\" upstream, \"/profile/documents\" in spec"));
    }

    [Test]
    public void Default_specs_directory_is_found_by_walking_up_to_Generated_sln()
    {
        File.WriteAllText(Path.Combine(Workspace, "Generated.sln"), string.Empty);
        WritePage("gallery.md", Page("gallery.md"));
        var nested = Directory.CreateDirectory(Path.Combine(Workspace, "build", "deep")).FullName;

        var result = RunIn(nested, "../../pages/gallery.md");

        Assert.That(result.Lines[0], Is.EqualTo("PAGE      ../../pages/gallery.md: Markdown prose page, 4 endpoints -> gallery.yaml"));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Without_Generated_sln_the_specs_folder_of_the_current_directory_is_used()
    {
        var result = Run(WritePage("files.md", Page("files.md")));

        Assert.That(result.Lines[0], Does.EndWith(" -> files.yaml"));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Page_matching_two_specs_equally_exits_2()
    {
        File.Copy(Path.Combine(SpecsDirectory, "gallery.yaml"), Path.Combine(SpecsDirectory, "gallery-copy.yaml"));

        var result = Check("gallery.md", Page("gallery.md"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("the page matches gallery-copy.yaml and gallery.yaml equally well; choose one with --spec"));
    }
}
