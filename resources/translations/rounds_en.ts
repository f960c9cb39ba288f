<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CatalogBrowser</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/catalog/browser.py" line="+258"/>
        <source>Showing %n of more matching courses — type more words to narrow them.</source>
        <translation>
            <numerusform>Showing %n of more matching courses — type more words to narrow them.</numerusform>
            <numerusform>Showing %n of more matching courses — type more words to narrow them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n courses match.</source>
        <translation>
            <numerusform>%n course matches.</numerusform>
            <numerusform>%n courses match.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>Lessons, best match first (%n)</source>
        <translation>
            <numerusform>Lessons, best match first (%n)</numerusform>
            <numerusform>Lessons, best match first (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CourseListModel</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/catalog/models.py" line="+34"/>
        <source>%n lessons · {percent}% complete · {state}</source>
        <translation>
            <numerusform>%n lesson · {percent}% complete · {state}</numerusform>
            <numerusform>%n lessons · {percent}% complete · {state}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CoursePage</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/catalog/course_page.py" line="+273"/>
        <source>%n modules</source>
        <translation>
            <numerusform>%n module</numerusform>
            <numerusform>%n modules</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n lessons</source>
        <translation>
            <numerusform>%n lesson</numerusform>
            <numerusform>%n lessons</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DownloadFlow</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/downloads/flow.py" line="+93"/>
        <source>Download “{title}” — %n files, {size}. {left} will be left on this disk.</source>
        <translation>
            <numerusform>Download “{title}” — %n file, {size}. {left} will be left on this disk.</numerusform>
            <numerusform>Download “{title}” — %n files, {size}. {left} will be left on this disk.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DownloadsPanel</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/downloads/panel.py" line="+281"/>
        <source>Stop downloading %n selected files? Partly downloaded files are deleted.</source>
        <translation>
            <numerusform>Stop downloading %n selected file? If it is partly downloaded, it is deleted.</numerusform>
            <numerusform>Stop downloading %n selected files? Partly downloaded files are deleted.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LearnerRecord</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/progress/learner_models.py" line="+36"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>{done} of %n lessons</source>
        <translation>
            <numerusform>{done} of %n lesson</numerusform>
            <numerusform>{done} of %n lessons</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+93"/>
        <source>{done} of %n courses done</source>
        <translation>
            <numerusform>{done} of %n course done</numerusform>
            <numerusform>{done} of %n courses done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n to finish</source>
        <translation>
            <numerusform>%n to finish</numerusform>
            <numerusform>%n to finish</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LearnerSection</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/progress/learner.py" line="+153"/>
        <source>You have begun %n courses and completed {completed}.</source>
        <translation>
            <numerusform>You have begun %n course and completed {completed}.</numerusform>
            <numerusform>You have begun %n courses and completed {completed}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/progress/page.py" line="+238"/>
        <source>Exported %n statements.</source>
        <translation>
            <numerusform>Exported %n statement.</numerusform>
            <numerusform>Exported %n statements.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n statements will be sent again at the next sync.</source>
        <translation>
            <numerusform>%n statement will be sent again at the next sync.</numerusform>
            <numerusform>%n statements will be sent again at the next sync.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Imported %n new statements.</source>
        <translation>
            <numerusform>Imported %n new statement.</numerusform>
            <numerusform>Imported %n new statements.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+25"/>
        <source>The server refused %n statements. They stay in your progress on this computer but are not sent again unless you press Send again. Export them for your administrator.</source>
        <translation>
            <numerusform>The server refused %n statement. It stays in your progress on this computer but is not sent again unless you press Send again. Export it for your administrator.</numerusform>
            <numerusform>The server refused %n statements. They stay in your progress on this computer but are not sent again unless you press Send again. Export them for your administrator.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StoragePage</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/downloads/storage_page.py" line="+56"/>
        <source>%n shared files stay for other courses.</source>
        <translation>
            <numerusform>%n shared file stays for other courses.</numerusform>
            <numerusform>%n shared files stay for other courses.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/status_bar.py" line="+32"/>
        <source>Syncing — %Ln items…</source>
        <translation>
            <numerusform>Syncing — %Ln item…</numerusform>
            <numerusform>Syncing — %Ln items…</numerusform>
        </translation>
    </message>
</context>
</TS>
