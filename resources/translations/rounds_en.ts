<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>LearnerSection</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/progress/learner.py" line="+103"/>
        <source>You have begun %n courses and completed {completed}. Time spent: {spent}.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
</TS>
