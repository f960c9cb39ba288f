<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>AgendaModel</name>
    <message>
        <location filename="../../desktop_app/views/residency/models.py" line="+42"/>
        <source>Time (venue)</source>
        <translation>Hora (sede)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your time</source>
        <translation>Su hora</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Session</source>
        <translation>Sesión</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Room</source>
        <translation>Sala</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Faculty</source>
        <translation>Docentes</translation>
    </message>
</context>
<context>
    <name>BadgeDialog</name>
    <message>
        <location filename="../../desktop_app/views/residency/badge_dialog.py" line="+30"/>
        <source>Attendee badge</source>
        <translation>Credencial de asistente</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Badge QR code</source>
        <translation>Código QR de la credencial</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <source>Show this code at the registration desk.</source>
        <translation>Muestre este código en el mostrador de registro.</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Attendee</source>
        <translation>Asistente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attendee name</source>
        <translation>Nombre del asistente</translation>
    </message>
</context>
<context>
    <name>CatalogBrowser</name>
    <message>
        <location filename="../../desktop_app/views/catalog/browser.py" line="+105"/>
        <source>Courses</source>
        <translation>Cursos</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lessons found</source>
        <translation>Lecciones encontradas</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Search courses and lessons (Ctrl+F)</source>
        <translation>Buscar cursos y lecciones (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search course and lesson titles and summaries (Ctrl+F)</source>
        <translation>Buscar en los títulos y resúmenes de cursos y lecciones (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search courses and lessons</source>
        <translation>Buscar cursos y lecciones</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>Searching lessons…</source>
        <translation>Buscando lecciones…</translation>
    </message>
    <message numerus="yes">
        <location line="+24"/>
        <source>Showing %n of more matching courses — type more words to narrow them.</source>
        <translation>
            <numerusform>Se muestra %n de los cursos que coinciden, pero hay más; escriba más palabras para acotar la búsqueda.</numerusform>
            <numerusform>Se muestran %n de los cursos que coinciden, pero hay más; escriba más palabras para acotar la búsqueda.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n courses match.</source>
        <translation>
            <numerusform>%n curso coincide.</numerusform>
            <numerusform>%n cursos coinciden.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No course or lesson matches “{text}”.</source>
        <translation>Ningún curso ni lección coincide con «{text}».</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose a course or a lesson that matches.</source>
        <translation>Elija un curso o una lección de los resultados.</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>Lessons, best match first (%n)</source>
        <translation>
            <numerusform>Lecciones, de mejor a peor coincidencia (%n)</numerusform>
            <numerusform>Lecciones, de mejor a peor coincidencia (%n)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No lesson matches.</source>
        <translation>Ninguna lección coincide.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Search failed: {reason}</source>
        <translation>No se pudo buscar: {reason}</translation>
    </message>
</context>
<context>
    <name>CatalogLabels</name>
    <message>
        <location filename="../../desktop_app/views/catalog/labels.py" line="+18"/>
        <source>Video</source>
        <translation>Video</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading</source>
        <translation>Lectura</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quiz</source>
        <translation>Cuestionario</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+1"/>
        <source>Downloaded</source>
        <translation>Descargado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not downloaded</source>
        <translation>No descargado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Partly downloaded</source>
        <translation>Descargado en parte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloading…</source>
        <translation>Descargando…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download failed</source>
        <translation>Descarga fallida</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} min {seconds} s</translation>
    </message>
</context>
<context>
    <name>CertificatePdf</name>
    <message>
        <location filename="../../desktop_app/views/certificate_pdf.py" line="+53"/>
        <source>Certificate of completion: {course}</source>
        <translation>Certificado de finalización: {course}</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Certificate of completion</source>
        <translation>Certificado de finalización</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This certifies that</source>
        <translation>Se certifica que</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>completed the course</source>
        <translation>completó el curso</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>on {date}</source>
        <translation>el {date}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Hours of study: {hours}</source>
        <translation>Horas de estudio: {hours}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Certificate {id}, issued by {issuer}. Verify it with: rounds-cli verify FILE</source>
        <translation>Certificado {id}, emitido por {issuer}. Verifíquelo con: rounds-cli verify ARCHIVO</translation>
    </message>
</context>
<context>
    <name>CertificateSaver</name>
    <message>
        <location filename="../../desktop_app/views/certificate_saver.py" line="+25"/>
        <source>PDF documents</source>
        <translation>Documentos PDF</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Save certificate</source>
        <translation>Guardar certificado</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The certificate could not be saved to {path}.</source>
        <translation>No se pudo guardar el certificado en {path}.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Certificate</source>
        <translation>Certificado</translation>
    </message>
</context>
<context>
    <name>CheckInBox</name>
    <message>
        <location filename="../../desktop_app/views/residency/checkin_box.py" line="+59"/>
        <source>Check in at the venue</source>
        <translation>Registro de asistencia en la sede</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Code shown at the venue</source>
        <translation>Código que se muestra en la sede</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check-in code</source>
        <translation>Código de registro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check in</source>
        <translation>Registrar asistencia</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Checking in…</source>
        <translation>Registrando asistencia…</translation>
    </message>
</context>
<context>
    <name>CourseCompletePanel</name>
    <message>
        <location filename="../../desktop_app/views/player/after.py" line="+72"/>
        <source>You completed {course}</source>
        <translation>Ha completado {course}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Completed on {day}: every lesson of this course is done.</source>
        <translation>Completado el {day}: ha terminado todas las lecciones de este curso.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Back to the course</source>
        <translation>Volver al curso</translation>
    </message>
</context>
<context>
    <name>CourseListModel</name>
    <message numerus="yes">
        <location filename="../../desktop_app/views/catalog/models.py" line="+34"/>
        <source>%n lessons · {percent}% complete · {state}</source>
        <translation>
            <numerusform>%n lección · {percent} % completado · {state}</numerusform>
            <numerusform>%n lecciones · {percent} % completado · {state}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CoursePage</name>
    <message>
        <location filename="../../desktop_app/views/catalog/course_page.py" line="+90"/>
        <source>%p% complete</source>
        <translation>%p % completado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download course</source>
        <translation>Descargar curso</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save &amp;certificate…</source>
        <translation>Guardar &amp;certificado…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the certificate of this completed course as a PDF</source>
        <translation>Guardar el certificado de este curso completado como PDF</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Lessons</source>
        <translation>Lecciones</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Open lesson</source>
        <translation>&amp;Abrir lección</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Download this lesson</source>
        <translation>&amp;Descargar esta lección</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>Choose a course</source>
        <translation>Elija un curso</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your courses appear on the left once they have synced.</source>
        <translation>Sus cursos aparecerán a la izquierda una vez sincronizados.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>This course is downloading; the Downloads page shows its progress.</source>
        <translation>Este curso se está descargando; la página Descargas muestra su progreso.</translation>
    </message>
    <message numerus="yes">
        <location line="+25"/>
        <source>%n modules</source>
        <translation>
            <numerusform>%n módulo</numerusform>
            <numerusform>%n módulos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n lessons</source>
        <translation>
            <numerusform>%n lección</numerusform>
            <numerusform>%n lecciones</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DiagnosticsSaver</name>
    <message>
        <location filename="../../desktop_app/views/diagnostics_saver.py" line="+41"/>
        <location line="+34"/>
        <source>Save diagnostics</source>
        <translation>Guardar diagnóstico</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Zip files (*.zip)</source>
        <translation>Archivos zip (*.zip)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Send this file to your IT department. It holds no passwords or sign-in tokens.</source>
        <translation>Envíe este archivo a su departamento de informática. No contiene contraseñas ni tokens de inicio de sesión.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The diagnostics could not be saved; the details are in the log file.</source>
        <translation>No se pudo guardar el diagnóstico; los detalles están en el archivo de registro.</translation>
    </message>
</context>
<context>
    <name>DownloadFlow</name>
    <message>
        <location filename="../../desktop_app/views/downloads/flow.py" line="+73"/>
        <source>“{title}” is already downloaded.</source>
        <translation>«{title}» ya está descargado.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not enough disk space</source>
        <translation>No hay suficiente espacio en el disco</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Download</source>
        <translation>Descargar</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>Download “{title}” — %n files, {size}. {left} will be left on this disk.</source>
        <translation>
            <numerusform>Descargar «{title}»: %n archivo, {size}. Quedarán {left} libres en este disco.</numerusform>
            <numerusform>Descargar «{title}»: %n archivos, {size}. Quedarán {left} libres en este disco.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Rounds keeps {floor} free on this disk; this download needs {more} more space.</source>
        <translation>Rounds mantiene {floor} libres en este disco; esta descarga necesita {more} más de espacio.</translation>
    </message>
</context>
<context>
    <name>DownloadTables</name>
    <message>
        <location filename="../../desktop_app/views/downloads/models.py" line="+22"/>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloading</source>
        <translation>Descargando</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>Con error</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+71"/>
        <location line="+14"/>
        <source>Downloaded</source>
        <translation>Descargado</translation>
    </message>
    <message>
        <location line="-83"/>
        <source>Waiting for another Rounds window or command to finish it</source>
        <translation>Esperando a que otra ventana u orden de Rounds lo termine</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{state}: {reason}</source>
        <translation>{state}: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{percent} %</source>
        <translation>{percent} %</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+118"/>
        <source>{done} of {size}</source>
        <translation>{done} de {size}</translation>
    </message>
    <message>
        <location line="-109"/>
        <source>{speed}/s</source>
        <translation>{speed}/s</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>about {seconds} s left</source>
        <translation>quedan unos {seconds} s</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>about {minutes} min left</source>
        <translation>quedan unos {minutes} min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>about {hours} h {minutes} min left</source>
        <translation>quedan unas {hours} h {minutes} min</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+34"/>
        <location line="+43"/>
        <source>{done} of {files}</source>
        <translation>{done} de {files}</translation>
    </message>
    <message>
        <location line="-71"/>
        <location line="+38"/>
        <source>Course</source>
        <translation>Curso</translation>
    </message>
    <message>
        <location line="-36"/>
        <location line="+14"/>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Files</source>
        <translation>Archivos</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+13"/>
        <source>Speed</source>
        <translation>Velocidad</translation>
    </message>
    <message>
        <location line="-12"/>
        <location line="+13"/>
        <source>Time left</source>
        <translation>Tiempo restante</translation>
    </message>
    <message>
        <location line="-12"/>
        <location line="+13"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Lesson</source>
        <translation>Lección</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Files on this computer</source>
        <translation>Archivos en este equipo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Space used</source>
        <translation>Espacio ocupado</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shared with other courses</source>
        <translation>Compartidos con otros cursos</translation>
    </message>
</context>
<context>
    <name>DownloadsPanel</name>
    <message>
        <location filename="../../desktop_app/views/downloads/panel.py" line="+63"/>
        <source>Nothing is downloading. Use “Download course” on a course page to study it offline.</source>
        <translation>No se está descargando nada. Use «Descargar curso» en la página de un curso para estudiarlo sin conexión.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{done} of {size}</source>
        <translation>{done} de {size}</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Downloads</source>
        <translation>Descargas</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>All downloads</source>
        <translation>Todas las descargas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pause all</source>
        <translation>Pausar todo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume all</source>
        <translation>Reanudar todo</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Courses</source>
        <translation>Cursos</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Courses downloading</source>
        <translation>Cursos en descarga</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Why the course stopped</source>
        <translation>Por qué se detuvo el curso</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+17"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+17"/>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+17"/>
        <source>Cancel…</source>
        <translation>Cancelar…</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Clear finished</source>
        <translation>Quitar los terminados</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+57"/>
        <source>Lessons</source>
        <translation>Lecciones</translation>
    </message>
    <message>
        <location line="-54"/>
        <source>Lessons downloading</source>
        <translation>Lecciones en descarga</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Lessons of “{course}”</source>
        <translation>Lecciones de «{course}»</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Stop downloading “{course}”? Files already downloaded stay; partly downloaded files are deleted.</source>
        <translation>¿Detener la descarga de «{course}»? Los archivos ya descargados se conservan; los descargados en parte se eliminan.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+10"/>
        <source>Cancel download</source>
        <translation>Cancelar la descarga</translation>
    </message>
    <message numerus="yes">
        <location line="-4"/>
        <source>Stop downloading %n selected files? Partly downloaded files are deleted.</source>
        <translation>
            <numerusform>¿Detener la descarga de %n archivo seleccionado? Los archivos descargados en parte se eliminan.</numerusform>
            <numerusform>¿Detener la descarga de %n archivos seleccionados? Los archivos descargados en parte se eliminan.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Launch</name>
    <message>
        <location filename="../../desktop_app/gui/launch.py" line="+82"/>
        <source>Rounds is already open but does not answer. Close it, then start Rounds again.</source>
        <translation>Rounds ya está abierto pero no responde. Ciérrelo y vuelva a iniciar Rounds.</translation>
    </message>
</context>
<context>
    <name>LearnerRecord</name>
    <message>
        <location filename="../../desktop_app/views/progress/learner_models.py" line="+22"/>
        <source>{percent}%</source>
        <translation>{percent} %</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>less than a minute</source>
        <translation>menos de un minuto</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} h {minutes} min</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>{done} of %n lessons</source>
        <translation>
            <numerusform>{done} de %n lección</numerusform>
            <numerusform>{done} de %n lecciones</numerusform>
        </translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+48"/>
        <source>Course</source>
        <translation>Curso</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Completion</source>
        <translation>Avance</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lessons done</source>
        <translation>Lecciones completadas</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time spent</source>
        <translation>Tiempo dedicado</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Completed</source>
        <translation>Completado</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Passed</source>
        <translation>Aprobado</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not passed</source>
        <translation>No aprobado</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Quiz</source>
        <translation>Cuestionario</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Score</source>
        <translation>Puntuación</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No online courses required</source>
        <translation>No se requieren cursos en línea</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>{done} of %n courses done</source>
        <translation>
            <numerusform>{done} de %n curso completado</numerusform>
            <numerusform>{done} de %n cursos completados</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Past</source>
        <translation>Finalizada</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ready</source>
        <translation>Preparado</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n to finish</source>
        <translation>
            <numerusform>Falta %n</numerusform>
            <numerusform>Faltan %n</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Residency</source>
        <translation>Residencia</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Day (venue)</source>
        <translation>Día (sede)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prerequisites</source>
        <translation>Requisitos previos</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
</context>
<context>
    <name>LearnerSection</name>
    <message>
        <location filename="../../desktop_app/views/progress/learner.py" line="+76"/>
        <source>Your courses</source>
        <translation>Sus cursos</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+38"/>
        <source>Quiz attempts</source>
        <translation>Intentos de cuestionario</translation>
    </message>
    <message>
        <location line="-37"/>
        <location line="+38"/>
        <source>Residency readiness</source>
        <translation>Preparación para la residencia</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>You have not started a course yet.</source>
        <translation>Todavía no ha comenzado ningún curso.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You have not taken a quiz yet.</source>
        <translation>Todavía no ha realizado ningún cuestionario.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You are not enrolled in a residency.</source>
        <translation>No está inscrito en ninguna residencia.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save &amp;certificate…</source>
        <translation>Guardar &amp;certificado…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the certificate of the selected completed course</source>
        <translation>Guardar el certificado del curso completado seleccionado</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Courses</source>
        <translation>Cursos</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Your courses, quizzes and residencies appear here as you study.</source>
        <translation>Sus cursos, cuestionarios y residencias aparecerán aquí a medida que estudie.</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>You have begun %n courses and completed {completed}.</source>
        <translation>
            <numerusform>Ha comenzado %n curso y ha completado {completed}.</numerusform>
            <numerusform>Ha comenzado %n cursos y ha completado {completed}.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time spent: {spent}.</source>
        <translation>Tiempo dedicado: {spent}.</translation>
    </message>
</context>
<context>
    <name>LessonHeader</name>
    <message>
        <location filename="../../desktop_app/views/player/header.py" line="+18"/>
        <source>Video</source>
        <translation>Vídeo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading</source>
        <translation>Lectura</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF handout</source>
        <translation>Documento PDF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quiz</source>
        <translation>Cuestionario</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{kind} · {rule}</source>
        <translation>{kind} · {rule}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>✓ Completed</source>
        <translation>✓ Completada</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not completed yet</source>
        <translation>Aún no completada</translation>
    </message>
    <message>
        <location filename="../../desktop_app/views/player/content.py" line="+9"/>
        <source>Complete when {percent}% has been played</source>
        <translation>Se completa al reproducir el {percent} %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complete when read to the end</source>
        <translation>Se completa al leerla hasta el final</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complete when the last page is reached</source>
        <translation>Se completa al llegar a la última página</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complete when passed</source>
        <translation>Se completa al aprobarla</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complete when passed (pass mark {percent}%)</source>
        <translation>Se completa al aprobarla (nota mínima {percent} %)</translation>
    </message>
</context>
<context>
    <name>LessonPage</name>
    <message>
        <location filename="../../desktop_app/views/player/lesson_page.py" line="+62"/>
        <source>← Back to course</source>
        <translation>← Volver al curso</translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+29"/>
        <source>This lesson is no longer in the catalog. Sync to refresh it.</source>
        <translation>Esta lección ya no está en el catálogo. Sincronice para actualizarlo.</translation>
    </message>
</context>
<context>
    <name>LessonPlayer</name>
    <message>
        <location filename="../../desktop_app/views/player/player.py" line="+30"/>
        <source>This lesson is not downloaded yet — download the course to study it offline.</source>
        <translation>Esta lección aún no está descargada: descargue el curso para estudiarlo sin conexión.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This quiz cannot be shown: {reason}</source>
        <translation>No se puede mostrar este cuestionario: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it has no questions.</source>
        <translation>no tiene preguntas.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This kind of lesson ({kind}) cannot be shown by this version of Rounds.</source>
        <translation>Esta versión de Rounds no puede mostrar este tipo de lección ({kind}).</translation>
    </message>
</context>
<context>
    <name>LessonTreeModel</name>
    <message>
        <location filename="../../desktop_app/views/catalog/models.py" line="+55"/>
        <source>Lesson</source>
        <translation>Lección</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Length</source>
        <translation>Duración</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+80"/>
        <source>Done</source>
        <translation>Hecha</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not done</source>
        <translation>Sin hacer</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{title} ({done} of {total} done)</source>
        <translation>{title} ({done} de {total} hechas)</translation>
    </message>
</context>
<context>
    <name>LockPanel</name>
    <message>
        <location filename="../../desktop_app/views/idle_lock.py" line="+116"/>
        <source>Rounds is locked</source>
        <translation>Rounds está bloqueado</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>{learner} is signed in. Enter the password to go on.</source>
        <translation>{learner} tiene la sesión iniciada. Introduzca la contraseña para continuar.</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Passcode</source>
        <translation>Código de acceso</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Unlock</source>
        <translation>&amp;Desbloquear</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign &amp;out</source>
        <translation>Cerrar &amp;sesión</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{learner} is signed in. Enter the offline passcode to go on.</source>
        <translation>{learner} tiene la sesión iniciada. Introduzca el código de acceso sin conexión para continuar.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>That is not the offline passcode of this account. Try again.</source>
        <translation>Ese no es el código de acceso sin conexión de esta cuenta. Inténtelo de nuevo.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>That is not the password of this account. Try again.</source>
        <translation>Esa no es la contraseña de esta cuenta. Inténtelo de nuevo.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_app/views/main_menus.py" line="+53"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Sync now</source>
        <translation>&amp;Sincronizar ahora</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>S&amp;ettings…</source>
        <translation>&amp;Configuración…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Import course &amp;package…</source>
        <translation>Importar &amp;paquete de curso…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Lock</source>
        <translation>&amp;Bloquear</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sign &amp;out…</source>
        <translation>Cerrar s&amp;esión…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Quit</source>
        <translation>S&amp;alir</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Find courses and lessons</source>
        <translation>&amp;Buscar cursos y lecciones</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Courses</source>
        <translation>&amp;Cursos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Residencies</source>
        <translation>&amp;Residencias</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Downloads</source>
        <translation>&amp;Descargas</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>S&amp;torage</source>
        <translation>Al&amp;macenamiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Progress</source>
        <translation>&amp;Progreso</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save &amp;diagnostics…</source>
        <translation>Guardar &amp;diagnóstico…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;About Rounds</source>
        <translation>&amp;Acerca de Rounds</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Opening your courses…</source>
        <translation>Abriendo sus cursos…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Courses</source>
        <translation>Cursos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Residencies</source>
        <translation>Residencias</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloads</source>
        <translation>Descargas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Storage</source>
        <translation>Almacenamiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <location filename="../../desktop_app/version.py" line="+10"/>
        <source>development</source>
        <translation>desarrollo</translation>
    </message>
    <message>
        <location filename="../../desktop_app/views/main_menus.py" line="+10"/>
        <source>Rounds {version}

Offline-first learning for clinicians.
Study your courses anywhere; progress uploads when you are back online.</source>
        <translation>Rounds {version}

Formación para profesionales clínicos que funciona sin conexión.
Estudie sus cursos en cualquier lugar; su progreso se sube cuando vuelva a tener conexión.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>About Rounds</source>
        <translation>Acerca de Rounds</translation>
    </message>
    <message>
        <location filename="../../desktop_app/views/main_window.py" line="+88"/>
        <source>Rounds</source>
        <translation>Rounds</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> Demo </source>
        <translation> Demostración </translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Pages</source>
        <translation>Páginas</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Rounds — {account}</source>
        <translation>Rounds — {account}</translation>
    </message>
    <message>
        <location line="+172"/>
        <source>▶ Continue where you left off: {title}</source>
        <translation>▶ Continuar donde lo dejó: {title}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This lesson is no longer in the catalog. Sync to refresh it.</source>
        <translation>Esta lección ya no está en el catálogo. Sincronice para actualizarlo.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/views/review/nav.py" line="+13"/>
        <source>Review</source>
        <translation>Repaso</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Review ({count})</source>
        <translation>Repaso ({count})</translation>
    </message>
</context>
<context>
    <name>MediaControls</name>
    <message>
        <location filename="../../desktop_app/views/player/controls.py" line="+49"/>
        <source>Play or pause (Space)</source>
        <translation>Reproducir o pausar (Space)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CC</source>
        <comment>the captions button</comment>
        <translation>CC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Captions</source>
        <translation>Subtítulos</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Full screen</source>
        <translation>Pantalla completa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full screen (F; Esc leaves it)</source>
        <translation>Pantalla completa (F; Esc para salir)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Seek</source>
        <translation>Posición</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seek (Left and Right move 10 seconds)</source>
        <translation>Posición (Left y Right avanzan o retroceden 10 segundos)</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+1"/>
        <source>Playback speed</source>
        <translation>Velocidad de reproducción</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{speed}×</source>
        <translation>{speed}×</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Volume (Up/Down)</source>
        <translation>Volumen (Up/Down)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Volume</source>
        <translation>Volumen</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Play</source>
        <translation>Reproducir</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Captions on or off (C)</source>
        <translation>Activar o desactivar subtítulos (C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No captions for this lesson</source>
        <translation>Esta lección no tiene subtítulos</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{percent}%</source>
        <translation>{percent} %</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{position} of {duration}</source>
        <translation>{position} de {duration}</translation>
    </message>
</context>
<context>
    <name>MediaPage</name>
    <message>
        <location filename="../../desktop_app/views/player/media.py" line="+96"/>
        <source>Video: {title}</source>
        <translation>Vídeo: {title}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Transcript</source>
        <translation>Transcripción</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audio: {title}</source>
        <translation>Audio: {title}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Double-click for full screen (F; Esc leaves it)</source>
        <translation>Doble clic para pantalla completa (F; Esc para salir)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Audio lesson: this lesson has no transcript.</source>
        <translation>Lección de audio: esta lección no tiene transcripción.</translation>
    </message>
    <message>
        <location line="+242"/>
        <source>This media file could not be played: {reason}</source>
        <translation>No se pudo reproducir este archivo multimedia: {reason}</translation>
    </message>
</context>
<context>
    <name>NextLessonButton</name>
    <message>
        <location filename="../../desktop_app/views/player/after.py" line="+21"/>
        <source>Next lesson: {title}</source>
        <translation>Siguiente lección: {title}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next lesson: {title} ({key})</source>
        <translation>Siguiente lección: {title} ({key})</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Next lesson: {title} ▶</source>
        <translation>Siguiente lección: {title} ▶</translation>
    </message>
</context>
<context>
    <name>NotDownloadedBar</name>
    <message>
        <location filename="../../desktop_app/views/player/not_downloaded.py" line="+38"/>
        <source>Where this lesson comes from</source>
        <translation>De dónde procede esta lección</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Download this lesson</source>
        <translation>&amp;Descargar esta lección</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep this lesson on this computer to study it offline</source>
        <translation>Guardar esta lección en este equipo para estudiarla sin conexión</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Opening “{title}” from the server…</source>
        <translation>Abriendo «{title}» desde el servidor…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This lesson plays from the server; download it to study it offline.</source>
        <translation>Esta lección se reproduce desde el servidor; descárguela para estudiarla sin conexión.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This lesson is not downloaded and the server cannot be reached now; download it, and it arrives when you are back online.</source>
        <translation>Esta lección no está descargada y ahora no se puede acceder al servidor; descárguela y llegará cuando vuelva a tener conexión.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This lesson could not be opened from the server: {reason}</source>
        <translation>No se pudo abrir esta lección desde el servidor: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This lesson is downloading; the Downloads page shows how far it is.</source>
        <translation>Esta lección se está descargando; la página Descargas muestra cuánto falta.</translation>
    </message>
</context>
<context>
    <name>OfflinePasscodeDialog</name>
    <message>
        <location filename="../../desktop_app/views/offline_passcode.py" line="+53"/>
        <location line="+24"/>
        <source>Open Rounds offline on this computer</source>
        <translation>Abrir Rounds sin conexión en este equipo</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Offline passcode</source>
        <translation>Código de acceso sin conexión</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offline passcode again</source>
        <translation>Código de acceso sin conexión, otra vez</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Keep passcode</source>
        <translation>&amp;Guardar código</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Not now</source>
        <translation>A&amp;hora no</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go on without opening Rounds offline here</source>
        <translation>Continuar sin poder abrir Rounds sin conexión en este equipo</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>This computer has no keyring, so your sign-in lasts only until Rounds closes. To open Rounds here without the network, choose an offline passcode.</source>
        <translation>Este equipo no tiene llavero del sistema, así que su sesión solo dura hasta que cierre Rounds. Para abrir Rounds aquí sin red, elija un código de acceso sin conexión.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>When the server cannot be reached, enter your username and this passcode in the Password field of the sign-in window. The passcode stays on this computer, is never sent anywhere, and is removed when you sign out.</source>
        <translation>Cuando no se pueda acceder al servidor, escriba su nombre de usuario y este código en el campo Contraseña de la ventana de inicio de sesión. El código se queda en este equipo, nunca se envía a ningún sitio y se elimina cuando cierre la sesión.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Passcode</source>
        <translation>&amp;Código</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Repeat passcode</source>
        <translation>&amp;Repetir código</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Keeping the passcode on this computer…</source>
        <translation>Guardando el código en este equipo…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The passcode could not be kept on this computer: {reason}</source>
        <translation>No se pudo guardar el código en este equipo: {reason}</translation>
    </message>
</context>
<context>
    <name>OrganisationSignIn</name>
    <message>
        <location filename="../../desktop_app/views/organisation_sign_in.py" line="+53"/>
        <location line="+61"/>
        <source>Sign in with your &amp;organisation</source>
        <translation>Iniciar sesión con su &amp;organización</translation>
    </message>
    <message>
        <location line="-60"/>
        <location line="+61"/>
        <source>Sign in with your organisation</source>
        <translation>Iniciar sesión con su organización</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>Sign in on your organisation&apos;s own page in your web browser.</source>
        <translation>Inicie sesión en la página de su organización, en su navegador web.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>&amp;Stop waiting for the browser</source>
        <translation>&amp;Dejar de esperar al navegador</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop waiting for the browser</source>
        <translation>Dejar de esperar al navegador</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waiting for you to sign in in your web browser…</source>
        <translation>Esperando a que inicie sesión en su navegador web…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No web browser could be opened for signing in.</source>
        <translation>No se pudo abrir ningún navegador web para iniciar sesión.</translation>
    </message>
</context>
<context>
    <name>PackageImport</name>
    <message>
        <location filename="../../desktop_app/views/package_import.py" line="+38"/>
        <location line="+29"/>
        <source>Import course package</source>
        <translation>Importar paquete de curso</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Course packages (*.zip);;All files (*)</source>
        <translation>Paquetes de curso (*.zip);;Todos los archivos (*)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>“{title}” is downloaded on this computer ({size} added).</source>
        <translation>«{title}» está descargado en este equipo (se añadieron {size}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The files of “{title}” are on this computer ({size} added). The course appears in your catalog once the server lists it for you.</source>
        <translation>Los archivos de «{title}» están en este equipo (se añadieron {size}). El curso aparecerá en su catálogo cuando el servidor lo ponga a su disposición.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The course package was not imported. {reason}</source>
        <translation>No se importó el paquete de curso. {reason}</translation>
    </message>
</context>
<context>
    <name>PdfPage</name>
    <message>
        <location filename="../../desktop_app/views/player/pdf.py" line="+49"/>
        <source>Handout pages</source>
        <translation>Páginas del documento</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>◀ Previous</source>
        <translation>◀ Anterior</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous page</source>
        <translation>Página anterior</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous page (PgUp)</source>
        <translation>Página anterior (PgUp)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Next ▶</source>
        <translation>Siguiente ▶</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next page</source>
        <translation>Página siguiente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next page (PgDown)</source>
        <translation>Página siguiente (PgDown)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Page number</source>
        <translation>Número de página</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Zoom out</source>
        <translation>Reducir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom out (Ctrl+-)</source>
        <translation>Reducir (Ctrl+-)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Zoom in</source>
        <translation>Ampliar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom in (Ctrl++)</source>
        <translation>Ampliar (Ctrl++)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Fit width</source>
        <translation>Ajustar al ancho</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Page</source>
        <translation>Página</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>of {count}</source>
        <translation>de {count}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This PDF could not be opened: its file is missing.</source>
        <translation>No se pudo abrir este PDF: falta su archivo.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This PDF could not be opened: it is protected by a password.</source>
        <translation>No se pudo abrir este PDF: está protegido con una contraseña.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This PDF could not be opened: the file is damaged.</source>
        <translation>No se pudo abrir este PDF: el archivo está dañado.</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>{percent}%</source>
        <translation>{percent} %</translation>
    </message>
</context>
<context>
    <name>PrerequisitesBox</name>
    <message>
        <location filename="../../desktop_app/views/residency/prerequisites.py" line="+32"/>
        <source>Before the day: online courses</source>
        <translation>Antes del día: cursos en línea</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No online courses are required for this residency.</source>
        <translation>Esta residencia no requiere cursos en línea.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Open “{title}” in Courses</source>
        <translation>Abrir «{title}» en Cursos</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Done</source>
        <translation>Completado</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{percent}% done</source>
        <translation>{percent} % completado</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not started</source>
        <translation>Sin comenzar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not available offline yet</source>
        <translation>Aún no disponible sin conexión</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Start</source>
        <translation>Comenzar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Review</source>
        <translation>Repasar</translation>
    </message>
</context>
<context>
    <name>ProgressBarDelegate</name>
    <message>
        <location filename="../../desktop_app/views/progress_delegate.py" line="+83"/>
        <source>{percent}%</source>
        <translation>{percent} %</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <location filename="../../desktop_app/views/progress/page.py" line="+63"/>
        <location line="+98"/>
        <source>Progress files</source>
        <translation>Archivos de progreso</translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Your progress</source>
        <translation>Su progreso</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync and progress files</source>
        <translation>Sincronización y archivos de progreso</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Upload</source>
        <translation>Envío</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+67"/>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>Set aside by the server</source>
        <translation>Apartado por el servidor</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Statements set aside</source>
        <translation>Registros apartados</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export quarantine…</source>
        <translation>Exportar cuarentena…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send again</source>
        <translation>Enviar de nuevo</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Carry your progress to a computer that is not online, or keep a copy: a progress file holds everything you did, and importing one adds what is new.</source>
        <translation>Lleve su progreso a un equipo sin conexión o guarde una copia: un archivo de progreso contiene todo lo que ha hecho, y al importarlo se añade lo que sea nuevo.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A progress file protects against damage, not against changes: anyone can edit it.</source>
        <translation>Un archivo de progreso protege contra daños, no contra cambios: cualquiera puede modificarlo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export progress…</source>
        <translation>Exportar progreso…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import progress…</source>
        <translation>Importar progreso…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{pending}.</source>
        <translation>{pending}.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Syncing…</source>
        <translation>Sincronizando…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export quarantine</source>
        <translation>Exportar cuarentena</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export progress</source>
        <translation>Exportar progreso</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import progress</source>
        <translation>Importar progreso</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Working…</source>
        <translation>Procesando…</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Exported %n statements.</source>
        <translation>
            <numerusform>Se exportó %n registro.</numerusform>
            <numerusform>Se exportaron %n registros.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n statements will be sent again at the next sync.</source>
        <translation>
            <numerusform>%n registro se enviará de nuevo en la próxima sincronización.</numerusform>
            <numerusform>%n registros se enviarán de nuevo en la próxima sincronización.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Imported: everything in that file was already here.</source>
        <translation>Importado: todo lo que contenía ese archivo ya estaba aquí.</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Imported %n new statements.</source>
        <translation>
            <numerusform>Se importó %n registro nuevo.</numerusform>
            <numerusform>Se importaron %n registros nuevos.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Nothing has been set aside: the server accepted everything it was sent.</source>
        <translation>No se ha apartado nada: el servidor aceptó todo lo que se le envió.</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>The server refused %n statements. They stay in your progress on this computer but are not sent again unless you press Send again. Export them for your administrator.</source>
        <translation>
            <numerusform>El servidor rechazó %n registro. Se conserva en su progreso en este equipo, pero no se enviará de nuevo a menos que pulse Enviar de nuevo. Expórtelo para su administrador.</numerusform>
            <numerusform>El servidor rechazó %n registros. Se conservan en su progreso en este equipo, pero no se enviarán de nuevo a menos que pulse Enviar de nuevo. Expórtelos para su administrador.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QuarantineModel</name>
    <message>
        <location filename="../../desktop_app/views/progress/models.py" line="+24"/>
        <source>When</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Activity</source>
        <translation>Actividad</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lesson</source>
        <translation>Lección</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Why the server refused it</source>
        <translation>Motivo del rechazo del servidor</translation>
    </message>
</context>
<context>
    <name>QuarantineRow</name>
    <message>
        <location filename="../../desktop_app/views/progress/quarantine.py" line="+26"/>
        <source>The server refused this statement: {reason}</source>
        <translation>El servidor rechazó esta declaración: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server already holds a different statement with the same id, so this one cannot be stored ({reason}).</source>
        <translation>El servidor ya tiene otra declaración con el mismo identificador, así que esta no se puede guardar ({reason}).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A proxy or firewall between this computer and the server answered with a web page, so the server never judged this statement; send it again.</source>
        <translation>Un proxy o un cortafuegos entre este equipo y el servidor respondió con una página web, así que el servidor nunca evaluó esta declaración; envíela de nuevo.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>(unreadable statement)</source>
        <translation>(registro ilegible)</translation>
    </message>
</context>
<context>
    <name>QuestionBox</name>
    <message>
        <location filename="../../desktop_app/views/player/quiz.py" line="+73"/>
        <source>Question {number}</source>
        <translation>Pregunta {number}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose all that apply.</source>
        <translation>Elija todas las que correspondan.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose one.</source>
        <translation>Elija una.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>✓ Correct.</source>
        <translation>✓ Correcto.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>✗ Not quite.</source>
        <translation>✗ No es del todo correcto.</translation>
    </message>
</context>
<context>
    <name>QuizPage</name>
    <message>
        <location line="+36"/>
        <source>Submit</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Try again</source>
        <translation>Intentar de nuevo</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Pass mark {mark}%. Answer every question, then submit.</source>
        <translation>Nota mínima {mark} %. Responda todas las preguntas y luego envíe.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Passed: {right} of {total} right ({score}%); pass mark {mark}%.</source>
        <translation>Aprobado: {right} de {total} correctas ({score} %); nota mínima {mark} %.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not passed yet: {right} of {total} right ({score}%); pass mark {mark}%.</source>
        <translation>Aún no aprobado: {right} de {total} correctas ({score} %); nota mínima {mark} %.</translation>
    </message>
</context>
<context>
    <name>ReadingPage</name>
    <message>
        <location filename="../../desktop_app/views/player/reading.py" line="+84"/>
        <source>Reading</source>
        <translation>Lectura</translation>
    </message>
</context>
<context>
    <name>ReminderNotifier</name>
    <message>
        <location filename="../../desktop_app/views/reminders.py" line="+174"/>
        <source>Reminder: {title}. {text}</source>
        <translation>Recordatorio: {title}. {text}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Rounds</source>
        <translation>Rounds</translation>
    </message>
</context>
<context>
    <name>ResidencyHeader</name>
    <message>
        <location filename="../../desktop_app/views/residency/header.py" line="+42"/>
        <source>{title} (past)</source>
        <translation>{title} (finalizada)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{when} — venue time ({zone})</source>
        <translation>{when} — hora de la sede ({zone})</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Your time: {when}</source>
        <translation>Su hora: {when}</translation>
    </message>
</context>
<context>
    <name>ResidencyList</name>
    <message>
        <location filename="../../desktop_app/views/residency/list_page.py" line="+42"/>
        <location line="+19"/>
        <source>Residencies</source>
        <translation>Residencias</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>You are not enrolled in a residency yet.</source>
        <translation>Todavía no está inscrito en ninguna residencia.</translation>
    </message>
</context>
<context>
    <name>ResidencyListModel</name>
    <message>
        <location filename="../../desktop_app/views/residency/models.py" line="-34"/>
        <source>{title} (past)</source>
        <translation>{title} (finalizada)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{when} (venue time)</source>
        <translation>{when} (hora de la sede)</translation>
    </message>
</context>
<context>
    <name>ResidencyPage</name>
    <message>
        <location filename="../../desktop_app/views/residency/page.py" line="+43"/>
        <source>Calendar</source>
        <translation>Calendario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export agenda to calendar</source>
        <translation>Exportar la agenda al calendario</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>← All residencies</source>
        <translation>← Todas las residencias</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show badge</source>
        <translation>Mostrar credencial</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export to calendar…</source>
        <translation>Exportar al calendario…</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+22"/>
        <source>Agenda</source>
        <translation>Agenda</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Your badge arrives with the next sync.</source>
        <translation>Su credencial llegará con la próxima sincronización.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Could not save the calendar file: {reason}</source>
        <translation>No se pudo guardar el archivo de calendario: {reason}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saved the agenda to {path}.</source>
        <translation>Se guardó la agenda en {path}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>you may not write to that folder.</source>
        <translation>no tiene permiso para escribir en esa carpeta.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the disk is full.</source>
        <translation>el disco está lleno.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>that folder no longer exists.</source>
        <translation>esa carpeta ya no existe.</translation>
    </message>
</context>
<context>
    <name>ResidencyTimes</name>
    <message>
        <location filename="../../desktop_app/views/residency/when.py" line="+26"/>
        <source>{day}, {times}</source>
        <translation>{day}, {times}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{day}, {time} {zone}</source>
        <translation>{day}, {time} {zone}</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Check in with the code shown at the venue on the day.</source>
        <translation>Registre su asistencia el día de la residencia con el código que se muestra en la sede.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Check-in: {span} (venue time) — open now.</source>
        <translation>Registro de asistencia: {span} (hora de la sede) — abierto ahora.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Check-in: {span} (venue time) — not open yet.</source>
        <translation>Registro de asistencia: {span} (hora de la sede) — todavía no está abierto.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Check-in: {span} (venue time) — closed.</source>
        <translation>Registro de asistencia: {span} (hora de la sede) — cerrado.</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../desktop_app/views/review/page.py" line="+63"/>
        <source>&amp;Check</source>
        <translation>&amp;Comprobar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Next question</source>
        <translation>&amp;Siguiente pregunta</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reviews by course</source>
        <translation>Repasos por curso</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Review</source>
        <translation>Repaso</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Reading your reviews…</source>
        <translation>Leyendo sus repasos…</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Questions due: {count}</source>
        <translation>Preguntas pendientes: {count}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reviews are paused. Resume a course below to practise its questions.</source>
        <translation>Los repasos están en pausa. Reanude un curso abajo para practicar sus preguntas.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing to review. The questions of the quizzes you pass come back here when it is time to practise them.</source>
        <translation>No hay nada que repasar. Las preguntas de los cuestionarios que apruebe volverán aquí cuando sea momento de practicarlas.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing due now. The next question is due {when}.</source>
        <translation>No hay nada pendiente ahora. La próxima pregunta vence el {when}.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Pause reviews of {course}</source>
        <translation>Pausar los repasos de {course}</translation>
    </message>
</context>
<context>
    <name>ReviewQuestionBox</name>
    <message>
        <location filename="../../desktop_app/views/review/question.py" line="+25"/>
        <source>From {course}</source>
        <translation>De {course}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose all that apply.</source>
        <translation>Elija todas las que correspondan.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose one.</source>
        <translation>Elija una.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>✓ Correct.</source>
        <translation>✓ Correcto.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>✗ Not quite. The answer: {answer}</source>
        <translation>✗ No exactamente. La respuesta: {answer}</translation>
    </message>
</context>
<context>
    <name>SessionMarkButton</name>
    <message>
        <location filename="../../desktop_app/views/residency/reminders.py" line="+38"/>
        <source>&amp;Remind me of this session</source>
        <translation>&amp;Recordarme esta sesión</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remind me 10 minutes before the selected session</source>
        <translation>Recordarme 10 minutos antes de la sesión seleccionada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A reminder 10 minutes before the selected session (Alt+R)</source>
        <translation>Un recordatorio 10 minutos antes de la sesión seleccionada (Alt+R)</translation>
    </message>
</context>
<context>
    <name>SettingField</name>
    <message>
        <location filename="../../desktop_app/views/settings_dialog.py" line="+75"/>
        <source>Set by your IT department.</source>
        <translation>Lo establece su departamento de informática.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the certificate file</source>
        <translation>Elegir el archivo de certificados</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Extra CA certificates</source>
        <translation>Certificados de CA adicionales</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PEM certificates</source>
        <translation>Certificados PEM</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location line="+43"/>
        <location line="+29"/>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <location line="-22"/>
        <location line="+17"/>
        <source>Learning record store password</source>
        <translation>Contraseña del almacén de registros de aprendizaje</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>This computer has no system keyring, so the password cannot be kept on this computer.</source>
        <translation>Este equipo no tiene llavero del sistema, así que la contraseña no se puede guardar en este equipo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Kept in the system keyring; leave empty to keep it.</source>
        <translation>Se guarda en el llavero del sistema; déjela vacía para conservarla.</translation>
    </message>
</context>
<context>
    <name>ShareToggle</name>
    <message>
        <location filename="../../desktop_app/views/share_toggle.py" line="+57"/>
        <source>Share &amp;downloads</source>
        <translation>Compartir &amp;descargas</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Let other Rounds on this network copy your downloaded course files.</source>
        <translation>Permita que otros Rounds de esta red copien los archivos de cursos que ha descargado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sharing downloads</source>
        <translation>Compartiendo descargas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sharing downloads with people nearby</source>
        <translation>Compartiendo descargas con las personas cercanas</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Other Rounds on this network can copy your downloaded course files from this computer. Turn it off in the File menu.</source>
        <translation>Otros Rounds de esta red pueden copiar desde este equipo los archivos de cursos que ha descargado. Desactívelo en el menú Archivo.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Your organisation keeps sharing downloads on.</source>
        <translation>Su organización mantiene activado el uso compartido de descargas.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your organisation does not allow sharing downloads.</source>
        <translation>Su organización no permite compartir descargas.</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <location filename="../../desktop_app/gui/shell.py" line="+42"/>
        <source>Offline — signed in on this computer; your work uploads when the server is back</source>
        <translation>Sin conexión: sesión iniciada en este equipo; su trabajo se subirá cuando el servidor vuelva a estar disponible</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>{name} on {server}</source>
        <translation>{name} en {server}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No system keyring is available: you stay signed in only until Rounds closes.</source>
        <translation>No hay llavero del sistema disponible: la sesión solo se mantiene hasta que cierre Rounds.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../desktop_app/views/sign_in.py" line="+56"/>
        <source>Sign in to Rounds</source>
        <translation>Iniciar sesión en Rounds</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Username</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Rounds</source>
        <translation>Rounds</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sign in to study your courses</source>
        <translation>Inicie sesión para estudiar sus cursos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Server</source>
        <translation>&amp;Servidor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Username</source>
        <translation>&amp;Usuario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Password</source>
        <translation>&amp;Contraseña</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Enter the server address, your username and your password.</source>
        <translation>Introduzca la dirección del servidor, su nombre de usuario y su contraseña.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Signing in…</source>
        <translation>Iniciando sesión…</translation>
    </message>
</context>
<context>
    <name>SignOut</name>
    <message>
        <location filename="../../desktop_app/views/progress/sign_out.py" line="+16"/>
        <source>Sign out?</source>
        <translation>¿Cerrar sesión?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{pending}.</source>
        <translation>{pending}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It has not reached the server yet: it stays on this computer and is uploaded the next time you sign in here. To continue on another computer, cancel and choose Sync now while online, or Export progress… on the Progress page.</source>
        <translation>Todavía no ha llegado al servidor: se conserva en este equipo y se enviará la próxima vez que inicie sesión aquí. Para continuar en otro equipo, cancele y elija Sincronizar ahora mientras tenga conexión, o Exportar progreso… en la página Progreso.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sign out anyway</source>
        <translation>Cerrar sesión de todos modos</translation>
    </message>
</context>
<context>
    <name>StoragePage</name>
    <message>
        <location filename="../../desktop_app/views/downloads/storage_page.py" line="+26"/>
        <source>{free} is free on this disk; {floor} is always kept free.</source>
        <translation>Hay {free} libres en este disco; siempre se mantienen {floor} libres.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{free} is free on this disk.</source>
        <translation>Hay {free} libres en este disco.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No course is downloaded.</source>
        <translation>No hay ningún curso descargado.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Downloads use {size} (a file shared by several courses is counted once).</source>
        <translation>Las descargas ocupan {size} (un archivo compartido por varios cursos se cuenta una sola vez).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Removed the downloads of “{course}”: {size} freed.</source>
        <translation>Se eliminaron las descargas de «{course}»: se liberaron {size}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Removed all downloads: {size} freed.</source>
        <translation>Se eliminaron todas las descargas: se liberaron {size}.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n shared files stay for other courses.</source>
        <translation>
            <numerusform>%n archivo compartido se conserva para otros cursos.</numerusform>
            <numerusform>%n archivos compartidos se conservan para otros cursos.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Storage</source>
        <translation>Almacenamiento</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Measuring…</source>
        <translation>Midiendo…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+3"/>
        <source>Downloaded courses</source>
        <translation>Cursos descargados</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove downloads…</source>
        <translation>Eliminar descargas…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove all downloads…</source>
        <translation>Eliminar todas las descargas…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Removing downloads frees disk space only: your progress and quiz results stay, and a file another downloaded course uses is kept. Removed lessons can be downloaded again.</source>
        <translation>Eliminar descargas solo libera espacio en el disco: su progreso y los resultados de sus cuestionarios se conservan, y se mantiene un archivo que use otro curso descargado. Las lecciones eliminadas pueden descargarse de nuevo.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Remove the downloaded files of “{course}” ({size})? Your progress is kept.</source>
        <translation>¿Eliminar los archivos descargados de «{course}» ({size})? Su progreso se conserva.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove downloads</source>
        <translation>Eliminar descargas</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Remove every downloaded file of every course? Your progress is kept.</source>
        <translation>¿Eliminar todos los archivos descargados de todos los cursos? Su progreso se conserva.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove all downloads</source>
        <translation>Eliminar todas las descargas</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <location filename="../../desktop_app/views/status_bar.py" line="+26"/>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Syncing — %Ln items…</source>
        <translation>
            <numerusform>Sincronizando: %Ln elemento…</numerusform>
            <numerusform>Sincronizando: %Ln elementos…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Syncing…</source>
        <translation>Sincronizando…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>● Online</source>
        <translation>● Con conexión</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>○ Offline — your work is saved and will upload later</source>
        <translation>○ Sin conexión: su trabajo está guardado y se subirá más tarde</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Last sync: {when}</source>
        <translation>Última sincronización: {when}</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../../desktop_app/views/player/transcript.py" line="+31"/>
        <source>Transcript</source>
        <translation>Transcripción</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click a line, or press Enter on it, to play from there</source>
        <translation>Haga clic en una línea, o pulse Enter sobre ella, para reproducir desde allí</translation>
    </message>
</context>
<context>
    <name>account</name>
    <message>
        <location filename="../../desktop_app/account.py" line="+47"/>
        <source>This address now answers as another server.</source>
        <translation>Esta dirección responde ahora como otro servidor.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/offline_sign_in.py" line="+45"/>
        <source>Too many attempts: wait 1 second, then try again.</source>
        <translation>Demasiados intentos: espere 1 segundo y vuelva a intentarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too many attempts: wait {seconds} seconds, then try again.</source>
        <translation>Demasiados intentos: espere {seconds} segundos y vuelva a intentarlo.</translation>
    </message>
</context>
<context>
    <name>certificates</name>
    <message>
        <location filename="../../desktop_app/certificates/token.py" line="+25"/>
        <source>This is not a Rounds certificate.</source>
        <translation>Esto no es un certificado de Rounds.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate was altered after it was issued: its signature does not match.</source>
        <translation>El certificado se modificó después de emitirse: su firma no coincide.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate was not signed by the key of the server you know.</source>
        <translation>El certificado no está firmado con la clave del servidor que usted conoce.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No key of the server is kept here yet: sign in and sync once while online.</source>
        <translation>Aquí todavía no se guarda ninguna clave del servidor: inicie sesión y sincronice una vez con conexión.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate {id} was revoked on {date}.</source>
        <translation>El certificado {id} se revocó el {date}.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/certificates/wallet.py" line="+50"/>
        <source>No certificate for this course yet: complete it, then sync while online to receive it.</source>
        <translation>Todavía no hay certificado para este curso: complételo y sincronice con conexión para recibirlo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server did not issue a certificate for this course: {reason}</source>
        <translation>El servidor no ha emitido un certificado para este curso: {reason}</translation>
    </message>
</context>
<context>
    <name>diagnostics</name>
    <message>
        <location filename="../../desktop_app/diagnostics/__init__.py" line="+27"/>
        <source>The diagnostics could not be saved in {folder}: {reason}.</source>
        <translation>No se pudo guardar el diagnóstico en {folder}: {reason}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diagnostics saved to {path}.</source>
        <translation>Diagnóstico guardado en {path}.</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <location filename="../../desktop_app/views/downloads/dialogs.py" line="+21"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Download</source>
        <translation>Descargar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stop downloading</source>
        <translation>Detener la descarga</translation>
    </message>
</context>
<context>
    <name>downloads</name>
    <message>
        <location filename="../../desktop_app/downloads/plan.py" line="+19"/>
        <source>There is no lesson “{lesson_id}” in this computer&apos;s catalog. Sync first.</source>
        <translation>No hay ninguna lección «{lesson_id}» en el catálogo de este equipo. Sincronice primero.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{lesson} (captions)</source>
        <translation>{lesson} (subtítulos)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no course “{course_id}” in this computer&apos;s catalog. Sync first, or check the course id.</source>
        <translation>No hay ningún curso «{course_id}» en el catálogo de este equipo. Sincronice primero o compruebe el identificador del curso.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The course “{course}” has no module “{module_id}”.</source>
        <translation>El curso «{course}» no tiene ningún módulo «{module_id}».</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This lesson</source>
        <translation>Esta lección</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This module</source>
        <translation>Este módulo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This course</source>
        <translation>Este curso</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This file</source>
        <translation>Este archivo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{what} needs {needed}; {available} can be used on this disk (Rounds keeps {floor} free).</source>
        <translation>{what} necesita {needed}; se pueden usar {available} de este disco (Rounds mantiene {floor} libres).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{what} needs {needed}, but Rounds keeps {floor} free on this disk, so only {available} can be used. Free up at least {short} of disk space, or download one module at a time.</source>
        <translation>{what} necesita {needed}, pero Rounds mantiene {floor} libres en este disco, así que solo se pueden usar {available}. Libere al menos {short} de espacio en disco o descargue un módulo cada vez.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{what} needs {needed}, but Rounds keeps {floor} free on this disk and {queued} is still queued, so only {available} can be used. Free up at least {short} of disk space, or download one module at a time.</source>
        <translation>{what} necesita {needed}, pero Rounds mantiene {floor} libres en este disco y aún hay {queued} en cola, así que solo se pueden usar {available}. Libere al menos {short} de espacio en disco o descargue un módulo cada vez.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{lesson} (picture {name})</source>
        <translation>{lesson} (imagen {name})</translation>
    </message>
    <message>
        <location filename="../../desktop_app/downloads/fetch.py" line="+37"/>
        <source>Another Rounds is downloading the file {file}.</source>
        <translation>Otro Rounds está descargando el archivo {file}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not enough disk space in {folder}: {size} more are needed.</source>
        <translation>No hay espacio suficiente en {folder}: se necesitan {size} más.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server could not continue the partial file.</source>
        <translation>El servidor no pudo continuar el archivo parcial.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server sent a different part of the file than asked for.</source>
        <translation>El servidor envió una parte del archivo distinta de la solicitada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The connection broke off during the download.</source>
        <translation>La conexión se interrumpió durante la descarga.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The connection closed after {received} of {size} bytes.</source>
        <translation>La conexión se cerró tras {received} de {size} bytes.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The downloaded file does not match its checksum ({received} bytes received).</source>
        <translation>El archivo descargado no coincide con su suma de comprobación ({received} bytes recibidos).</translation>
    </message>
    <message>
        <location filename="../../desktop_app/downloads/hashing.py" line="+19"/>
        <source>The download could not be checked on this computer; it will be tried again.</source>
        <translation>No se pudo comprobar la descarga en este equipo; se volverá a intentar.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/downloads/jobs.py" line="+35"/>
        <source>The download queue held this file in a state Rounds does not know.</source>
        <translation>La cola de descargas tenía este archivo en un estado que Rounds no conoce.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/downloads/retry.py" line="+44"/>
        <source>Your sign-in has expired. Sign in again to resume.</source>
        <translation>Su sesión ha caducado. Vuelva a iniciar sesión para reanudar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{reason} Downloads are paused; resume when back online.</source>
        <translation>{reason} Las descargas están en pausa; reanúdelas cuando vuelva a tener conexión.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{reason} (gave up after several attempts)</source>
        <translation>{reason} (se abandonó tras varios intentos)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file arrived damaged {times} times (its checksum did not match) and was deleted. The server&apos;s copy may be corrupt; tell your course administrator.</source>
        <translation>El archivo llegó dañado {times} veces (su suma de comprobación no coincidía) y se eliminó. La copia del servidor puede estar dañada; avise al administrador del curso.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server no longer has this file. Sync, then try again.</source>
        <translation>El servidor ya no tiene este archivo. Sincronice y vuelva a intentarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not write the file: {reason}.</source>
        <translation>No se pudo escribir el archivo: {reason}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The download stopped on an unexpected error ({error}); details are in the log.</source>
        <translation>La descarga se detuvo por un error inesperado ({error}); los detalles están en el registro.</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../desktop_app/api/addresses.py" line="+11"/>
        <source>“{text}” is not a server address. Use the form https://learning.example.org.</source>
        <translation>«{text}» no es una dirección de servidor. Use la forma https://learning.example.org.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refusing to connect to {host} over plain http://: passwords and progress would cross the network unencrypted. Use an https:// address (plain http is allowed only for a server on this computer).</source>
        <translation>No se conectará con {host} mediante http:// sin cifrar: las contraseñas y el progreso viajarían por la red sin cifrar. Use una dirección https:// (http sin cifrar solo se permite para un servidor en este equipo).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server pointed to another address ({address}); not following it.</source>
        <translation>El servidor remitió a otra dirección ({address}); no se seguirá.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/api/deadline.py" line="+34"/>
        <source>The server at {host} answered too slowly (its reply was not complete after {seconds} seconds), so the request was stopped; please try again later.</source>
        <translation>El servidor en {host} respondió demasiado despacio (su respuesta no estaba completa tras {seconds} segundos), así que se detuvo la solicitud; vuelva a intentarlo más tarde.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/api/errors.py" line="+13"/>
        <source>The network at {host} asked for a sign-in page instead of answering: open a web browser, sign in to the network (for example the hotel or hospital Wi-Fi), then try again.</source>
        <translation>La red en {host} pidió una página de inicio de sesión en lugar de responder: abra un navegador web, inicie sesión en la red (por ejemplo, la wifi del hotel o del hospital) y vuelva a intentarlo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server had a problem ({reason}). Please try again later.</source>
        <translation>El servidor tuvo un problema ({reason}). Vuelva a intentarlo más tarde.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server sent data this app cannot read: {what}.</source>
        <translation>El servidor envió datos que esta aplicación no puede leer: {what}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{title}: {detail}</source>
        <translation>{title}: {detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTTP {status}</source>
        <translation>HTTP {status}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server is busy; try again in a few minutes.</source>
        <translation>El servidor está ocupado; vuelva a intentarlo dentro de unos minutos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server is busy; try again in 1 second.</source>
        <translation>El servidor está ocupado; vuelva a intentarlo dentro de 1 segundo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server is busy; try again in {count} seconds.</source>
        <translation>El servidor está ocupado; vuelva a intentarlo dentro de {count} segundos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server is busy; try again in 1 minute.</source>
        <translation>El servidor está ocupado; vuelva a intentarlo dentro de 1 minuto.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server is busy; try again in {count} minutes.</source>
        <translation>El servidor está ocupado; vuelva a intentarlo dentro de {count} minutos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server is busy; try again in 1 hour.</source>
        <translation>El servidor está ocupado; vuelva a intentarlo dentro de 1 hora.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server is busy; try again in {count} hours.</source>
        <translation>El servidor está ocupado; vuelva a intentarlo dentro de {count} horas.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You are not signed in. Please sign in.</source>
        <translation>No ha iniciado sesión. Inicie sesión.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server did not accept this username and password.</source>
        <translation>El servidor no aceptó este nombre de usuario y contraseña.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/api/failures.py" line="+28"/>
        <source>The server did not accept the sign-in.</source>
        <translation>El servidor no aceptó el inicio de sesión.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another address</source>
        <translation>otra dirección</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The network redirected the request to {where}. If this network needs a sign-in through a web page first, complete it and try again.</source>
        <translation>La red redirigió la solicitud a {where}. Si esta red requiere antes iniciar sesión en una página web, hágalo y vuelva a intentarlo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not reach {host} through the proxy server: {reason}.</source>
        <translation>No se pudo llegar a {host} a través del servidor proxy: {reason}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The proxy {proxy} asks for a user name and password before it lets Rounds through. Ask IT to let Rounds through it, or for a user name and password to put in the proxy address in File → Settings…, under Proxy (http://user:password@host:port).</source>
        <translation>El proxy {proxy} pide un nombre de usuario y una contraseña antes de dejar pasar a Rounds. Pida a informática que deje pasar a Rounds por él, o un nombre de usuario y una contraseña para poner en la dirección del proxy en Archivo → Configuración…, en Proxy (http://usuario:contraseña@servidor:puerto).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The proxy {proxy} did not accept the user name and password in the proxy setting. Ask IT for the right ones, or to let Rounds through the proxy without them.</source>
        <translation>El proxy {proxy} no aceptó el nombre de usuario y la contraseña del ajuste de proxy. Pida a informática los correctos, o que deje pasar a Rounds por el proxy sin ellos.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>of this network</source>
        <translation>de esta red</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server at {host} did not answer in time.</source>
        <translation>El servidor en {host} no respondió a tiempo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not reach the server at {host}: {reason}.</source>
        <translation>No se pudo contactar con el servidor en {host}: {reason}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The connection to {host} broke off during the transfer.</source>
        <translation>La conexión con {host} se interrumpió durante la transferencia.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a reply that could not be decompressed</source>
        <translation>una respuesta que no se pudo descomprimir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The request to {host} failed: {reason}.</source>
        <translation>La solicitud a {host} falló: {reason}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A secure connection to {host} could not be set up: {reason}.</source>
        <translation>No se pudo establecer una conexión segura con {host}: {reason}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate of {host} has expired, so the connection is not safe. If this computer&apos;s date is right, the server&apos;s certificate must be renewed: tell IT.</source>
        <translation>El certificado de {host} ha caducado, así que la conexión no es segura. Si la fecha de este equipo es correcta, hay que renovar el certificado del servidor: avise al departamento de informática.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate presented by {host} is for another server name, so the connection is not safe. Check the server address; if it is right, tell IT.</source>
        <translation>El certificado que presenta {host} es para otro nombre de servidor, así que la conexión no es segura. Compruebe la dirección del servidor; si es correcta, avise al departamento de informática.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate of {host} is not trusted by this computer. If your organisation inspects secure traffic, ask IT for its CA certificate and choose it in File → Settings…, under Extra CA certificates (ca_bundle).</source>
        <translation>Este equipo no confía en el certificado de {host}. Si su organización inspecciona el tráfico seguro, pida al departamento de informática su certificado de CA y elíjalo en Archivo → Configuración…, en Certificados de CA adicionales (ca_bundle).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The extra CA certificates chosen in File → Settings… (ca_bundle: {path}) could not be used: {reason}. Choose another file or clear that setting.</source>
        <translation>No se pudieron usar los certificados de CA adicionales elegidos en Archivo → Configuración… (ca_bundle: {path}): {reason}. Elija otro archivo o borre ese ajuste.</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>The certificate of {host} could not be verified: {reason}.</source>
        <translation>No se pudo verificar el certificado de {host}: {reason}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>it holds no certificate in PEM format</source>
        <translation>no contiene ningún certificado en formato PEM</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the server name could not be found (DNS)</source>
        <translation>no se encontró el nombre del servidor (DNS)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the connection was refused (is the server running?)</source>
        <translation>la conexión fue rechazada (¿está en marcha el servidor?)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the network is unreachable</source>
        <translation>la red no está disponible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the connection was closed by the other side</source>
        <translation>el otro extremo cerró la conexión</translation>
    </message>
    <message>
        <location filename="../../desktop_app/api/xapi.py" line="+53"/>
        <source>The learning record store did not accept the user name and password set for it.</source>
        <translation>El almacén de registros de aprendizaje no aceptó el nombre de usuario y la contraseña configurados para él.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{host} no longer accepts this sign-in.</source>
        <translation>{host} ya no acepta este inicio de sesión.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/error_text.py" line="+24"/>
        <source>Your sign-in has expired. Please sign in again; nothing saved on this computer is lost.</source>
        <translation>Su sesión ha caducado. Vuelva a iniciar sesión; no se pierde nada de lo guardado en este equipo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Offline: {reason}</source>
        <translation>Sin conexión: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The cache on this computer is damaged; Rounds saves what it can read of your progress and rebuilds it when this account next opens, in the window or a command.</source>
        <translation>La caché de este equipo está dañada; Rounds guarda lo que puede leer de su progreso y la reconstruye la próxima vez que se abra esta cuenta, en la ventana o en un comando.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another program is using the cache on this computer (Rounds open elsewhere, or a backup or database tool), so nothing in it was changed; close it and try again.</source>
        <translation>Otro programa está usando la caché de este equipo (Rounds abierto en otro lugar, o una herramienta de copias de seguridad o de bases de datos), así que no se ha cambiado nada en ella; ciérrelo y vuelva a intentarlo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Some of what Rounds keeps on this computer is damaged and could not be read; sync again, and if this stays, choose Help ▸ Save diagnostics… and send the file to your IT support.</source>
        <translation>Parte de lo que Rounds guarda en este equipo está dañado y no se pudo leer; sincronice de nuevo y, si el problema continúa, elija Ayuda ▸ Guardar diagnóstico… y envíe el archivo a su soporte informático.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not read or write a file: {reason}</source>
        <translation>No se pudo leer ni escribir un archivo: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Something went wrong: {reason}</source>
        <translation>Algo ha fallado: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop_app/cache_repair.py" line="+37"/>
        <source>The local cache was damaged; {saved} progress items were saved and it was rebuilt (the damaged file is kept at {path}).</source>
        <translation>La caché local estaba dañada; se guardaron {saved} elementos de progreso y se reconstruyó (el archivo dañado se conserva en {path}).</translation>
    </message>
    <message>
        <location filename="../../desktop_app/api/proxies.py" line="+58"/>
        <source>The proxy auto-config file {url} could not be used ({reason}); Rounds connects directly, as browsers do, until it can be read.</source>
        <translation>No se pudo usar el archivo de configuración automática del proxy {url} ({reason}); Rounds se conecta directamente, como hacen los navegadores, hasta que se pueda leer.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The proxy {proxy} could not be reached; trying the next one the auto-config names.</source>
        <translation>No se pudo llegar al proxy {proxy}; se prueba el siguiente que indica la configuración automática.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>it is larger than 1 MB</source>
        <translation>ocupa más de 1 MB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The proxy auto-config file {url} took longer than {seconds} seconds to choose a proxy, so it was stopped; Rounds connects directly, as browsers do, until Rounds is started again.</source>
        <translation>El archivo de configuración automática del proxy {url} tardó más de {seconds} segundos en elegir un proxy, así que se detuvo; Rounds se conecta directamente, como hacen los navegadores, hasta que se vuelva a iniciar Rounds.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/api/pac_script.py" line="+29"/>
        <source>the process to run it did not start</source>
        <translation>no se inició el proceso que debía ejecutarlo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the process running it ended</source>
        <translation>terminó el proceso que lo ejecutaba</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it defines no FindProxyForURL function</source>
        <translation>no define ninguna función FindProxyForURL</translation>
    </message>
    <message>
        <location filename="../../desktop_app/api/socks_refusals.py" line="+19"/>
        <source>The SOCKS proxy {proxy} could not be reached, so Rounds cannot reach {host}.</source>
        <translation>No se pudo contactar con el proxy SOCKS {proxy}, así que Rounds no puede llegar a {host}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The SOCKS proxy {proxy} did not let Rounds through to {host}: {reason}.</source>
        <translation>El proxy SOCKS {proxy} no dejó pasar a Rounds hasta {host}: {reason}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>its rules do not allow it; ask IT to let Rounds through</source>
        <translation>sus reglas no lo permiten; pida a informática que deje pasar a Rounds</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the proxy could not reach the server</source>
        <translation>el proxy no pudo llegar al servidor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it asks for a user name and password; ask IT for them and put them in the proxy address in File → Settings…, under Proxy (socks5h://user:password@host:port)</source>
        <translation>pide un nombre de usuario y una contraseña; pídalos a informática y póngalos en la dirección del proxy en Archivo → Configuración…, en Proxy (socks5h://usuario:contraseña@servidor:puerto)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it did not accept the user name and password in the proxy setting</source>
        <translation>no aceptó el nombre de usuario y la contraseña de la configuración del proxy</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>its answer was not that of a SOCKS proxy</source>
        <translation>su respuesta no era la de un proxy SOCKS</translation>
    </message>
    <message>
        <location filename="../../desktop_app/sync_process.py" line="+65"/>
        <source>The sync stopped before it finished (its process ended); it will try again.</source>
        <translation>La sincronización se detuvo antes de terminar (su proceso finalizó); se volverá a intentar.</translation>
    </message>
</context>
<context>
    <name>packages</name>
    <message>
        <location filename="../../desktop_app/packages/refusals.py" line="+16"/>
        <source>“{course}” is not downloaded on this computer yet: download it first, then export it.</source>
        <translation>«{course}» aún no está descargado en este equipo: descárguelo primero y después expórtelo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>There is no course “{course_id}” in this computer&apos;s catalog.</source>
        <translation>No hay ningún curso «{course_id}» en el catálogo de este equipo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The package is damaged or incomplete (it is not a whole zip file).</source>
        <translation>El paquete está dañado o incompleto (no es un archivo zip entero).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The file is not a Rounds course package.</source>
        <translation>El archivo no es un paquete de curso de Rounds.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The package holds a file that would land outside its folder ({name}).</source>
        <translation>El paquete contiene un archivo que quedaría fuera de su carpeta ({name}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The package holds a symbolic link ({name}).</source>
        <translation>El paquete contiene un enlace simbólico ({name}).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The package holds a file its manifest does not list ({name}).</source>
        <translation>El paquete contiene un archivo que su manifiesto no incluye ({name}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The package lacks a file its manifest lists ({name}).</source>
        <translation>Al paquete le falta un archivo que su manifiesto incluye ({name}).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The package unpacks to more than {limit}, more than a course package may hold.</source>
        <translation>El paquete ocupa más de {limit} al descomprimirse, más de lo que puede contener un paquete de curso.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The package&apos;s file {name} unpacks to more than it declares (a “zip bomb”); it was refused.</source>
        <translation>El archivo {name} del paquete ocupa al descomprimirse más de lo que declara (una «bomba zip»); se rechazó.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The package&apos;s file {name} does not match its checksum.</source>
        <translation>El archivo {name} del paquete no coincide con su suma de comprobación.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The package&apos;s signature does not match: it was altered or not signed by the server.</source>
        <translation>La firma del paquete no coincide: se modificó o no la firmó el servidor.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The package was made for another server than the one you use ({server}).</source>
        <translation>El paquete se hizo para un servidor distinto del que usted utiliza ({server}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server&apos;s signing key is not known on this computer yet: sign in once while online, then import the package again.</source>
        <translation>Este equipo aún no conoce la clave de firma del servidor: inicie sesión una vez con conexión y vuelva a importar el paquete.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Exporting a course package needs the server, which signs it: connect and try again.</source>
        <translation>Para exportar un paquete de curso se necesita el servidor, que lo firma: conéctese e inténtelo de nuevo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server&apos;s signing key could not be read.</source>
        <translation>No se pudo leer la clave de firma del servidor.</translation>
    </message>
</context>
<context>
    <name>peers</name>
    <message>
        <location filename="../../desktop_app/peers/sharing.py" line="+29"/>
        <source>Downloads cannot be shared: {reason}</source>
        <translation>No se pueden compartir las descargas: {reason}</translation>
    </message>
</context>
<context>
    <name>policy</name>
    <message>
        <location filename="../../desktop_app/policy.py" line="+51"/>
        <source>The policy file {path} could not be read ({reason}).</source>
        <translation>No se pudo leer el archivo de directivas {path} ({reason}).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The policy file {path} does not hold a JSON object.</source>
        <translation>El archivo de directivas {path} no contiene un objeto JSON.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The policy names {key}, which is not a setting of Rounds.</source>
        <translation>La directiva nombra {key}, que no es un ajuste de Rounds.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The policy&apos;s value for {key} is not a whole number.</source>
        <translation>El valor de la directiva para {key} no es un número entero.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The policy&apos;s value for {key} is not text.</source>
        <translation>El valor de la directiva para {key} no es un texto.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The policy&apos;s value for {key} is not true or false.</source>
        <translation>El valor de la directiva para {key} no es true ni false.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your organisation does not allow the demo on this computer; start Rounds without --demo.</source>
        <translation>Su organización no permite la demostración en este equipo; inicie Rounds sin --demo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The policy&apos;s value for {key} is refused: {reason}</source>
        <translation>Se rechaza el valor de la directiva para {key}: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The policy locks {key}, which only the user may choose; it applies as a default.</source>
        <translation>La directiva bloquea {key}, que solo puede elegir el usuario; se aplica como valor predeterminado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The policy&apos;s entry for {key} has no value; it is ignored.</source>
        <translation>La entrada de la directiva para {key} no tiene valor; se ignora.</translation>
    </message>
</context>
<context>
    <name>progress</name>
    <message>
        <location filename="../../desktop_app/progress/exchange.py" line="+42"/>
        <source>{file} is damaged: it holds no list of statements.</source>
        <translation>{file} está dañado: no contiene ninguna lista de declaraciones.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} is damaged or was changed after it was exported (checksum mismatch).</source>
        <translation>{file} está dañado o se modificó después de exportarlo (la suma de comprobación no coincide).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not read {path}: {reason}.</source>
        <translation>No se pudo leer {path}: {reason}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} is not a Rounds progress file.</source>
        <translation>{file} no es un archivo de progreso de Rounds.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} is not a Rounds progress file (not JSON).</source>
        <translation>{file} no es un archivo de progreso de Rounds (no es JSON).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This is not a Rounds progress file.</source>
        <translation>Este no es un archivo de progreso de Rounds.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This progress file has format version {version}; this Rounds reads version {supported}. Update Rounds to import it.</source>
        <translation>Este archivo de progreso tiene la versión de formato {version}; este Rounds lee la versión {supported}. Actualice Rounds para importarlo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{file} holds the progress of {owner}, not of {learner}.</source>
        <translation>{file} contiene el progreso de {owner}, no el de {learner}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another learner</source>
        <translation>otro alumno</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} is damaged: statement {number}: {problem}.</source>
        <translation>{file} está dañado: declaración {number}: {problem}.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/progress/pending.py" line="+49"/>
        <source>All your progress has reached the server</source>
        <translation>Todo su progreso ha llegado al servidor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Progress from 1 lesson waiting to upload</source>
        <translation>Progreso de 1 lección pendiente de subir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Progress from {lessons} lessons waiting to upload</source>
        <translation>Progreso de {lessons} lecciones pendiente de subir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your progress waiting to upload</source>
        <translation>Su progreso, pendiente de subir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 check-in waiting to upload</source>
        <translation>1 registro de asistencia pendiente de subir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{checkins} check-ins waiting to upload</source>
        <translation>{checkins} registros de asistencia pendientes de subir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Progress from 1 lesson and 1 check-in waiting to upload</source>
        <translation>Progreso de 1 lección y 1 registro de asistencia pendientes de subir</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Progress from 1 lesson and {checkins} check-ins waiting to upload</source>
        <translation>Progreso de 1 lección y {checkins} registros de asistencia pendientes de subir</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Progress from {lessons} lessons and 1 check-in waiting to upload</source>
        <translation>Progreso de {lessons} lecciones y 1 registro de asistencia pendientes de subir</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Progress from {lessons} lessons and {checkins} check-ins waiting to upload</source>
        <translation>Progreso de {lessons} lecciones y {checkins} registros de asistencia pendientes de subir</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your progress and 1 check-in waiting to upload</source>
        <translation>Su progreso y 1 registro de asistencia pendientes de subir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your progress and {checkins} check-ins waiting to upload</source>
        <translation>Su progreso y {checkins} registros de asistencia pendientes de subir</translation>
    </message>
    <message>
        <location filename="../../desktop_app/progress/quiz_scoring.py" line="+11"/>
        <source>The quiz could not be read ({reason}).</source>
        <translation>No se pudo leer el cuestionario ({reason}).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The quiz has no questions.</source>
        <translation>El cuestionario no tiene preguntas.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass mark {pass_mark} is not between 0 and 1.</source>
        <translation>La nota de aprobado {pass_mark} no está entre 0 y 1.</translation>
    </message>
</context>
<context>
    <name>reminders</name>
    <message>
        <location filename="../../desktop_app/residency/reminders.py" line="+40"/>
        <source>Tomorrow: {residency}</source>
        <translation>Mañana: {residency}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starts {when} at {venue}. Your prerequisites are done.</source>
        <translation>Empieza el {when} en {venue}. Sus requisitos previos están completos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starts {when} at {venue}. Still to finish: {courses}.</source>
        <translation>Empieza el {when} en {venue}. Le falta terminar: {courses}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check-in is open: {residency}</source>
        <translation>El registro está abierto: {residency}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check in at the venue until {when}.</source>
        <translation>Regístrese en la sede hasta el {when}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In 10 minutes: {session}</source>
        <translation>En 10 minutos: {session}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{when}, {room}</source>
        <translation>{when}, {room}</translation>
    </message>
</context>
<context>
    <name>residency</name>
    <message>
        <location filename="../../desktop_app/residency/checkin_words.py" line="+14"/>
        <source>Waiting for confirmation — it will be sent when you are back online.</source>
        <translation>Pendiente de confirmación: se enviará cuando vuelva a tener conexión.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You can try again with the code shown at the venue.</source>
        <translation>Puede intentarlo de nuevo con el código que se muestra en la sede.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter the check-in code shown at the venue.</source>
        <translation>Introduzca el código de registro que se muestra en la sede.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This residency is not on this computer. Sync first, then check in again.</source>
        <translation>Esta residencia no está en este equipo. Sincronice primero y vuelva a registrar su asistencia.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You are not enrolled in this residency, so you cannot check in to it.</source>
        <translation>No está inscrito en esta residencia, así que no puede registrar su asistencia en ella.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check-in: {opens} – {closes} (venue time)</source>
        <translation>Registro de asistencia: {opens} – {closes} (hora de la sede)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check-in is not open yet. It opens {moment}.</source>
        <translation>El registro de asistencia aún no está abierto. Se abre el {moment}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check-in has closed. It closed {moment}.</source>
        <translation>El registro de asistencia está cerrado. Se cerró el {moment}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked in — confirmed {moment} (venue time).</source>
        <translation>Asistencia registrada: confirmada el {moment} (hora de la sede).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server did not accept the check-in.</source>
        <translation>El servidor no aceptó el registro de asistencia.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not accepted: {reason} {try_again}</source>
        <translation>No aceptado: {reason} {try_again}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You are already checked in to this residency.</source>
        <translation>Ya ha registrado su asistencia en esta residencia.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your check-in is already recorded and is waiting for confirmation.</source>
        <translation>Su registro de asistencia ya consta y está pendiente de confirmación.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>That is not the code shown at the venue. Check it and try again.</source>
        <translation>Ese no es el código que se muestra en la sede. Compruébelo e inténtelo de nuevo.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/residency/checkin.py" line="+184"/>
        <source>{reason} Your check-in is saved on this computer and will be sent again later.</source>
        <translation>{reason} Su registro de asistencia está guardado en este equipo y se volverá a enviar más tarde.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sign in again to send your check-in; it is saved on this computer until then.</source>
        <translation>Vuelva a iniciar sesión para enviar su registro de asistencia; hasta entonces queda guardado en este equipo.</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <location filename="../../desktop_app/setting_specs.py" line="+48"/>
        <source>minutes</source>
        <translation>minutos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sync every</source>
        <translation>Sincronizar cada</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Give up on a network operation after</source>
        <translation>Abandonar una operación de red después de</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>seconds</source>
        <translation>segundos</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Extra CA certificates</source>
        <translation>Certificados de CA adicionales</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A PEM file from IT, for a network that inspects secure traffic.</source>
        <translation>Un archivo PEM de su departamento de informática, para una red que inspecciona el tráfico seguro.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For example http://proxy.hospital.org:3128, or socks5h://proxy.hospital.org:1080 for a SOCKS proxy. Leave empty to use the proxy auto-config file below, else the system&apos;s proxy settings.</source>
        <translation>Por ejemplo http://proxy.hospital.org:3128, o socks5h://proxy.hospital.org:1080 para un proxy SOCKS. Déjelo vacío para usar el archivo de configuración automática del proxy de abajo o, si no hay, la configuración de proxy del sistema.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Proxy auto-config file (PAC)</source>
        <translation>Archivo de configuración automática del proxy (PAC)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The address of a .pac file from IT, which chooses the proxy for each server. Leave empty to use the system&apos;s proxy settings.</source>
        <translation>La dirección de un archivo .pac de informática, que elige el proxy para cada servidor. Déjelo vacío para usar la configuración de proxy del sistema.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Keep free on the disk at least</source>
        <translation>Dejar libre en el disco al menos</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>MB</source>
        <translation>MB</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+21"/>
        <source>As the system</source>
        <translation>Como el sistema</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>High contrast</source>
        <translation>Alto contraste</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Text size</source>
        <translation>Tamaño del texto</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Español</source>
        <translation>Español</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A new language applies when Rounds starts again.</source>
        <translation>Un idioma nuevo se aplica cuando Rounds se vuelve a iniciar.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lock the window after</source>
        <translation>Bloquear la ventana después de</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Minutes without use; 0 never locks.</source>
        <translation>Minutos sin uso; con 0 nunca se bloquea.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Learning record store</source>
        <translation>Almacén de registros de aprendizaje</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave empty to send progress to the Rounds server.</source>
        <translation>Déjelo vacío para enviar el progreso al servidor de Rounds.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Learning record store user</source>
        <translation>Usuario del almacén de registros de aprendizaje</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Check all progress again every</source>
        <translation>Volver a comprobar todo el progreso cada</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>syncs</source>
        <translation>sincronizaciones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Progress from other devices that a sync missed is found then, and always before signing out.</source>
        <translation>Entonces se recupera el progreso de otros dispositivos que una sincronización no trajo, y siempre antes de cerrar la sesión.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Shared content folder</source>
        <translation>Carpeta de contenido compartida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A read-only folder of course files, such as a network share, looked in before downloading. Leave empty for none.</source>
        <translation>Una carpeta de solo lectura con archivos de cursos, como una carpeta de red, que se consulta antes de descargar. Déjela vacía si no hay ninguna.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Allow the demo (rounds --demo)</source>
        <translation>Permitir la demostración (rounds --demo)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The demo starts a practice server on this computer with sample courses.</source>
        <translation>La demostración inicia en este equipo un servidor de práctica con cursos de ejemplo.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Residency reminders</source>
        <translation>Recordatorios de residencias</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The day before, when check-in opens and 10 minutes before each session you marked.</source>
        <translation>El día anterior, cuando se abre el registro y 10 minutos antes de cada sesión que haya marcado.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Share downloads</source>
        <translation>Compartir descargas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>While the window is open, other Rounds on this network may copy your downloaded course files from this computer. Every copy is checked against the catalog.</source>
        <translation>Mientras la ventana esté abierta, otros Rounds de esta red pueden copiar desde este equipo los archivos de cursos que ha descargado. Cada copia se comprueba con el catálogo.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Download from people nearby</source>
        <translation>Descargar de personas cercanas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Look for other Rounds on this network that share their downloads, and copy course files from them before asking the server. Every copy is checked against the catalog.</source>
        <translation>Buscar otros Rounds de esta red que compartan sus descargas y copiar de ellos los archivos de los cursos antes de pedirlos al servidor. Cada copia se comprueba con el catálogo.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Enter an address that starts with http:// or https://.</source>
        <translation>Introduzca una dirección que empiece por http:// o https://.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter an address that starts with http://, https://, socks5h://, socks5:// or socks4://.</source>
        <translation>Introduzca una dirección que empiece por http://, https://, socks5h://, socks5:// o socks4://.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Enter a whole number from {minimum} to {maximum}.</source>
        <translation>Introduzca un número entero de {minimum} a {maximum}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No file is at this path.</source>
        <translation>No hay ningún archivo en esta ruta.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose one of the listed values.</source>
        <translation>Elija uno de los valores de la lista.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose on or off.</source>
        <translation>Elija activado o desactivado.</translation>
    </message>
</context>
<context>
    <name>sso</name>
    <message>
        <location filename="../../desktop_app/api/sso.py" line="+21"/>
        <source>Your organisation&apos;s sign-in service cannot be reached. Try again later.</source>
        <translation>No se puede acceder al servicio de inicio de sesión de su organización. Inténtelo de nuevo más tarde.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your organisation&apos;s sign-in was not accepted: {reason}</source>
        <translation>No se aceptó el inicio de sesión de su organización: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This server does not offer sign-in with your organisation.</source>
        <translation>Este servidor no ofrece el inicio de sesión con su organización.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/sso/flow.py" line="+36"/>
        <source>Sign-in with your organisation was cancelled or denied.</source>
        <translation>El inicio de sesión con su organización se canceló o se denegó.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your organisation&apos;s sign-in service refused: {reason}</source>
        <translation>El servicio de inicio de sesión de su organización lo rechazó: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign-in with your organisation took too long. Start again when you are ready.</source>
        <translation>El inicio de sesión con su organización tardó demasiado. Vuelva a empezar cuando esté listo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The answer from the sign-in page does not belong to this sign-in, so it was refused. Start again.</source>
        <translation>La respuesta de la página de inicio de sesión no corresponde a este inicio de sesión, así que se rechazó. Vuelva a empezar.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The sign-in page came back without a sign-in code. Start again.</source>
        <translation>La página de inicio de sesión volvió sin un código de inicio de sesión. Vuelva a empezar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No web browser could be opened for signing in.</source>
        <translation>No se pudo abrir ningún navegador web para iniciar sesión.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/sso/loopback.py" line="+32"/>
        <source>Rounds</source>
        <translation>Rounds</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You can close this page and go back to Rounds.</source>
        <translation>Puede cerrar esta página y volver a Rounds.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This page does not belong to the sign-in Rounds is waiting for, so it was ignored.</source>
        <translation>Esta página no pertenece al inicio de sesión que Rounds está esperando, por lo que se ha ignorado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no such page here. You can close it and go back to Rounds.</source>
        <translation>Aquí no existe esa página. Puede cerrarla y volver a Rounds.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/sso/passcode.py" line="+33"/>
        <source>Choose a passcode of at least {count} characters.</source>
        <translation>Elija un código de al menos {count} caracteres.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The two passcodes are not the same.</source>
        <translation>Los dos códigos no coinciden.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This is not the offline passcode set for this account on this computer.</source>
        <translation>Este no es el código de acceso sin conexión de esta cuenta en este equipo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server can be reached, so sign in with your organisation. Your offline passcode opens Rounds only when the server cannot be reached.</source>
        <translation>Se puede acceder al servidor, así que inicie sesión con su organización. Su código de acceso sin conexión solo abre Rounds cuando no se puede acceder al servidor.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server can be reached again: sign in with your organisation to upload your work.</source>
        <translation>Ya se puede acceder de nuevo al servidor: inicie sesión con su organización para subir su trabajo.</translation>
    </message>
</context>
<context>
    <name>sync</name>
    <message>
        <location filename="../../desktop_app/sync/outbox.py" line="+57"/>
        <source>too many requests</source>
        <translation>demasiadas solicitudes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it asked to wait {seconds} s; progress stays queued until the next sync</source>
        <translation>pidió esperar {seconds} s; el progreso queda en cola hasta la próxima sincronización</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>still busy after {attempts} tries; progress stays queued</source>
        <translation>sigue ocupado tras {attempts} intentos; el progreso queda en cola</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server refused all {count} statements</source>
        <translation>El servidor rechazó las {count} declaraciones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The upload was stopped on its way to the server ({reason}, likely by a proxy or firewall); your progress stays queued and is sent at the next sync.</source>
        <translation>La subida se detuvo antes de llegar al servidor ({reason}, probablemente por un proxy o un cortafuegos); su progreso queda en cola y se enviará en la próxima sincronización.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/sync/lrs.py" line="+26"/>
        <source>No password is stored for the learning record store at {endpoint}. Enter it in File → Settings…, under Learning record store password.</source>
        <translation>No hay ninguna contraseña guardada para el almacén de registros de aprendizaje en {endpoint}. Introdúzcala en Archivo → Configuración…, en Contraseña del almacén de registros de aprendizaje.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/sync/reconciliation.py" line="+54"/>
        <source>You were signed out before Rounds finished checking your progress on the server for work from your other devices; the rest is checked when you next sign in, and nothing is lost.</source>
        <translation>Se cerró su sesión antes de que Rounds terminara de comprobar en el servidor el trabajo de sus otros dispositivos; el resto se comprobará la próxima vez que inicie sesión, y no se pierde nada.</translation>
    </message>
</context>
</TS>
