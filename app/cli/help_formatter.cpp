#include "help_formatter.h"

#include <sstream>
#include <vector>

namespace lb::cli {

namespace {

constexpr size_t kWidth = 79;      // fits an 80-column terminal without wrapping twice
constexpr size_t kNameColumn = 26; // descriptions start here

// Words of `text` filled into lines of kWidth, the first one starting at `column` (text already
// written on the line) and the others indented to `indent`. Blank lines separate paragraphs.
std::string wrap(const std::string& text, size_t column, size_t indent) {
    std::ostringstream out;
    size_t at = column;
    bool lineStart = true;
    std::istringstream lines(text);
    std::string line;
    bool firstLine = true;
    while (std::getline(lines, line)) {
        if (!firstLine) {
            out << '\n';
            at = 0;
            lineStart = true;
            if (line.empty()) // a paragraph break: the next line's newline leaves it blank
                continue;
        }
        firstLine = false;
        std::istringstream words(line);
        std::string word;
        while (words >> word) {
            if (!lineStart && at + 1 + word.size() > kWidth) {
                out << '\n' << std::string(indent, ' ');
                at = indent;
                lineStart = true;
            }
            if (lineStart && at < indent) {
                out << std::string(indent - at, ' ');
                at = indent;
            }
            if (!lineStart) {
                out << ' ';
                ++at;
            }
            out << word;
            at += word.size();
            lineStart = false;
        }
    }
    return out.str();
}

// The type name without the validators' descriptions CLI11 appends after ':'.
std::string valueName(const CLI::Option& option) {
    const std::string full = option.get_type_name();
    return full.substr(0, full.find(':'));
}

std::vector<std::string> validatorTexts(const CLI::Option& option) {
    std::vector<std::string> texts;
    const std::string full = option.get_type_name();
    size_t at = full.find(':');
    while (at != std::string::npos) {
        const size_t next = full.find(':', at + 1);
        texts.push_back(full.substr(at + 1, next == std::string::npos ? next : next - at - 1));
        at = next;
    }
    return texts;
}

std::string entry(const CLI::Option& option) {
    std::string left = "  " + HelpFormatter::optionNames(option);
    if (option.nonpositional() && option.get_type_size_max() > 0)
        left += ' ' + valueName(option);
    std::string text = option.get_description();
    if (!option.get_default_str().empty())
        text += " [default: " + option.get_default_str() + "]";
    for (const std::string& v : validatorTexts(option))
        text += " [" + v + "]";
    if (left.size() + 2 > kNameColumn)
        return left + '\n' + std::string(kNameColumn, ' ') + wrap(text, kNameColumn, kNameColumn);
    left.resize(kNameColumn, ' ');
    return left + wrap(text, kNameColumn, kNameColumn);
}

// The first line of a description: what a list of commands shows.
std::string summary(const CLI::App& app) {
    const std::string d = app.get_description();
    return d.substr(0, d.find('\n'));
}

std::string usage(const CLI::App& app) {
    std::string line = "usage: " + HelpFormatter::commandPath(app);
    bool options = false;
    for (const CLI::Option* o : app.get_options()) {
        if (o->get_group().empty())
            continue; // hidden
        if (!o->nonpositional())
            line += o->get_required() ? ' ' + o->get_name() : " [" + o->get_name() + ']';
        else if (o->get_required())
            line += ' ' + o->get_name() + ' ' + valueName(*o);
        else if (o != app.get_help_ptr())
            options = true;
    }
    if (!app.get_subcommands([](const CLI::App*) { return true; }).empty())
        line += " COMMAND [arguments]";
    if (options)
        line += " [options]";
    return line;
}

} // namespace

std::string HelpFormatter::commandPath(const CLI::App& app) {
    std::string path = app.get_name();
    for (const CLI::App* p = app.get_parent(); p; p = p->get_parent())
        path = p->get_name() + ' ' + path;
    return path;
}

std::string HelpFormatter::optionNames(const CLI::Option& option) {
    if (!option.nonpositional())
        return option.get_name();
    std::string names;
    for (const std::string& s : option.get_snames())
        names += (names.empty() ? "-" : ", -") + s;
    for (const std::string& l : option.get_lnames())
        names += (names.empty() ? "--" : ", --") + l;
    return names;
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const {
    std::ostringstream out;
    out << usage(*app) << "\n\n" << wrap(app->get_description(), 0, 0) << '\n';

    auto visible = [](const CLI::Option* o) { return !o->get_group().empty(); };
    std::vector<const CLI::Option*> positionals;
    for (const CLI::Option* o : app->get_options())
        if (visible(o) && !o->nonpositional())
            positionals.push_back(o);
    if (!positionals.empty()) {
        out << "\narguments:\n";
        for (const CLI::Option* o : positionals)
            out << entry(*o) << '\n';
    }
    // Options by group, groups in the order their first option was declared; "Options" is
    // CLI11's default group.
    for (const std::string& group : app->get_groups()) {
        std::vector<const CLI::Option*> options;
        for (const CLI::Option* o : app->get_options())
            if (o->get_group() == group && o->nonpositional())
                options.push_back(o);
        if (group.empty() || options.empty())
            continue;
        out << '\n' << (group == "Options" ? std::string("options") : group) << ":\n";
        for (const CLI::Option* o : options)
            out << entry(*o) << '\n';
    }
    const auto subcommands = app->get_subcommands([](const CLI::App*) { return true; });
    if (!subcommands.empty()) {
        out << "\ncommands:\n";
        for (const CLI::App* sub : subcommands) {
            std::string left = "  " + sub->get_name();
            left.resize(kNameColumn, ' ');
            out << left << wrap(summary(*sub), kNameColumn, kNameColumn) << '\n';
        }
    }
    if (!app->get_footer().empty()) {
        out << "\nexamples:\n";
        std::istringstream lines(app->get_footer());
        std::string line;
        while (std::getline(lines, line))
            out << (line.empty() ? "" : "  " + line) << '\n';
    }
    return out.str();
}

} // namespace lb::cli
